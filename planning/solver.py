"""The schedule proposer's model on OR-Tools CP-SAT. Plain data in, plain data out: no Django
here, so that the benchmark and the explanations build instances of their own.

Time is in whole minutes from the program's first local midnight (absolute, so a change of
offset inside a program cannot shift a visit). The model:

- **candidates**: one optional fixed-size interval per request × (host window × day) where the
  window, the group's day and the request's dates leave room for the visit; at most one of a
  request's candidates is present (`placed`).
- **groups**: per group and day, the group's visits (candidates, the fixed visits it already
  has, and a lunch break) form a route that starts and ends at the academy: an `AddCircuit`
  over those nodes whose arc literals carry the transitions, i.e. arc i→j forces
  `start_j ≥ end_i + gap(i, j)`. `gap` is the travel time between the two places, at least the
  transfer buffer the soft warnings use (30 min) when the hosts differ, 0 at the same host.
  We chose the circuit (over padding every interval with its longest travel) because its arcs
  say which visit follows which: the travel of the chosen arcs is what the objective
  minimises, and a short hop is not charged a long one's time. Lunch is an interval beside
  the route, not a stop on it (a stop without a place would hide the trip it sits in): a
  visit after lunch waits the longest hop into it from any place the group visits that day,
  so lunch is never eaten on the road. A `NoOverlap` over the visits and lunch keeps them
  apart. At most K proposed site visits per group and day.
- **hosts**: per window, a cumulative of the candidates in it (demand: the request's number
  of groups) and of the fixed visits at that host overlapping it, within the window's capacity.
- **objective**, lexicographic through weights (each level's weight exceeds the largest
  possible sum of all the levels below it): musts placed; shoulds placed; when re-planning
  with `keep_existing`, requests kept where they are (ranked right after the shoulds, see
  docs/planning.md); travel plus idle time (the span of each group's day, which holds its
  waits and travel, plus twice the travel again: a minute on the road costs three idle ones);
  balance (the sum over groups of their busiest day's number of visits).
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

ACADEMY = 0  # the place key of the academy (also of a fixed visit without a host)
TRANSFER_BUFFER = 30  # minutes: the soft warnings' "tight connection" (visits.selectors)
TRAVEL_WEIGHT = 2  # on top of the day's span, which holds the travel once already
GRID = 5  # minutes: proposed visits start on the five-minute marks of the clock, as a person would set them


@dataclass(frozen=True)
class Day:
    index: int
    start: int  # the group's day, absolute minutes
    end: int
    lunch_from: int
    lunch_to: int
    midnight: int = -1  # the local midnight that begins the day; -1: the day's start less 9 h

    def __post_init__(self):
        if self.midnight == -1:
            object.__setattr__(self, "midnight", self.start - 9 * 60)


@dataclass(frozen=True)
class Window:
    id: int
    host: int
    start: int
    end: int
    capacity: int = 1


@dataclass(frozen=True)
class Request:
    id: int
    groups: tuple[int, ...]
    host: int
    duration: int
    must: bool
    first_day: int
    last_day: int
    current: int | None = None  # the start of the visit it was applied as, when re-planning


@dataclass(frozen=True)
class Fixed:
    """A visit the proposer works around (a lecture, a ceremony, a locked visit)."""

    id: int
    groups: tuple[int, ...]
    host: int  # ACADEMY when the visit has no host
    start: int
    end: int
    counts: bool = False  # a site visit: counts towards the K visits a day


@dataclass
class Instance:
    days: list[Day]
    groups: list[int]
    windows: list[Window]
    requests: list[Request]
    fixed: list[Fixed] = field(default_factory=list)
    travel: dict[tuple[int, int], int] = field(default_factory=dict)  # (from, to) → minutes
    lunch_minutes: int = 60
    max_per_day: int = 3
    keep_existing: bool = False

    def minutes(self, origin: int, destination: int) -> int:
        if origin == destination:
            return 0
        return self.travel.get((origin, destination), 0)

    def longest_hop_into(self, destination: int, places) -> int:
        """The longest gap into `destination` from any of `places`: what a visit after lunch waits,
        so that lunch is never eaten on the road (the model and the first fit both keep it)."""
        return max((self.gap(origin, destination) for origin in places if origin != destination), default=0)

    def gap(self, origin: int, destination: int) -> int:
        """The least time between a visit at `origin` and the next one at `destination`."""
        if origin == destination:
            return 0
        return max(TRANSFER_BUFFER, self.minutes(origin, destination))


@dataclass(frozen=True)
class Candidate:
    request: Request
    window: Window
    day: Day
    earliest: int  # start
    latest: int  # start


@dataclass
class Placement:
    request: int
    window: int
    start: int
    end: int


@dataclass
class Solution:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID
    placements: dict[int, Placement]
    objective: float
    bound: float
    seconds: float
    travel_minutes: int
    kept: int = 0
    weights: dict = field(default_factory=dict)
    balance: int = 0

    def cost_gap(self, instance: Instance) -> float | None:
        """How far the travel-and-idle level is from CP-SAT's bound with the same requests placed
        (the full objective's gap is dominated by the counts of placed requests)."""
        if not self.weights or not self.bound:
            return None
        musts = sum(1 for r in instance.requests if r.must and r.id in self.placements)
        shoulds = sum(1 for r in instance.requests if not r.must and r.id in self.placements)
        counts = self.weights["must"] * musts + self.weights["should"] * shoulds + self.weights["keep"] * self.kept
        cost = (counts - self.balance - self.objective) / self.weights["cost"]
        floor = (counts - self.bound) / self.weights["cost"]
        if cost <= 0 or floor < 0:
            return None
        return max(0.0, (cost - floor) / cost)

    @property
    def feasible(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")

    def gap_ratio(self) -> float:
        """How far the objective is from CP-SAT's best bound, as a fraction of the bound."""
        if not self.bound:
            return 0.0
        return abs(self.bound - self.objective) / abs(self.bound)


def on_grid(minute: int) -> int:
    """The first five-minute mark at or after this minute."""
    return -(-minute // GRID) * GRID


def candidates_of(instance: Instance, request: Request) -> list[Candidate]:
    """Where a request could go: each window of its host on each allowed day, cut to the group's
    day less the trips from and back to the academy; starts on the five-minute marks."""
    found = []
    there = instance.minutes(ACADEMY, request.host)
    back = instance.minutes(request.host, ACADEMY)
    for window in instance.windows:
        if window.host != request.host:
            continue
        for day in instance.days:
            if not request.first_day <= day.index <= request.last_day:
                continue
            earliest = on_grid(max(window.start, day.start + there))
            latest = (min(window.end, day.end - back) - request.duration) // GRID * GRID
            if latest >= earliest:
                found.append(Candidate(request, window, day, earliest, latest))
    return found


def day_of(instance: Instance, moment: int) -> Day | None:
    """The program day whose calendar day (local midnight to midnight) holds this moment."""
    for day in instance.days:
        if day.midnight <= moment < day.midnight + 24 * 60:
            return day
    return None


class _Model:
    """One CP-SAT model of an instance; `relax` names the families of constraints left out
    (used to explain why a request could not be placed)."""

    def __init__(self, instance: Instance, *, relax: frozenset = frozenset(), force: int | None = None):
        self.instance = instance
        self.relax = relax
        self.model = cp_model.CpModel()
        self.candidates: dict[int, list[tuple[Candidate, object, object]]] = {}
        self.placed: dict[int, object] = {}
        self.kept: dict[int, object] = {}
        self.stays: list[tuple[Request, Day, object, object]] = []
        self.keep_hints: dict[int, tuple] = {}
        self.marks: dict[int, object] = {}  # a candidate's presence literal → its start, in marks of GRID minutes
        self.arcs: list[tuple[object, int]] = []  # (literal, travel minutes)
        self.day_counts: dict[tuple[int, int], list] = defaultdict(list)
        self.cost_terms: list = []
        self._build(force)

    # --- variables ---------------------------------------------------------------------

    def _build(self, force: int | None) -> None:
        m, instance = self.model, self.instance
        for request in instance.requests:
            options = []
            for candidate in candidates_of(instance, request):
                present = m.new_bool_var(f"p{request.id}_{candidate.window.id}_{candidate.day.index}")
                mark = m.new_int_var(
                    candidate.earliest // GRID, candidate.latest // GRID, f"s{request.id}_{candidate.window.id}"
                )
                start = mark * GRID
                self.marks[present.index] = mark
                interval = m.new_optional_fixed_size_interval_var(start, request.duration, present, "")
                options.append((candidate, present, start, interval))
            placed = m.new_bool_var(f"placed{request.id}")
            m.add(sum(option[1] for option in options) == placed)
            if force == request.id:
                m.add(placed == 1)
            self.placed[request.id] = placed
            self.candidates[request.id] = options
            if request.current is not None:
                # Unplaced, a request's visit stays where it is on the board: it still takes
                # its groups' time and its host's room.
                day = day_of(instance, request.current)
                if day is not None:
                    stay = placed.Not()
                    interval = m.new_optional_fixed_size_interval_var(request.current, request.duration, stay, "")
                    self.stays.append((request, day, stay, interval))
            if instance.keep_existing and request.current is not None:
                keep = m.new_bool_var(f"keep{request.id}")
                same = [
                    option
                    for option in options
                    if option[0].earliest <= request.current <= option[0].latest and request.current % GRID == 0
                ]
                if same:
                    m.add(sum(option[1] for option in same) == 1).only_enforce_if(keep)
                    for option in same:
                        m.add(option[2] == request.current).only_enforce_if(option[1], keep)
                    self.keep_hints[request.id] = (same[0], request.current)
                else:
                    m.add(keep == 0)
                self.kept[request.id] = keep
        self._groups()
        if "capacity" not in self.relax:
            self._hosts()
        self._objective()

    def fix(self, placements: dict[int, Placement]) -> None:
        """Only these placements (used to complete a first fit into a full assignment)."""
        m = self.model
        for request in self.instance.requests:
            placement = placements.get(request.id)
            for candidate, present, start, _interval in self.candidates[request.id]:
                if (
                    placement is not None
                    and candidate.window.id == placement.window
                    and candidate.earliest <= placement.start <= candidate.latest
                ):
                    m.add(present == 1)
                    m.add(start == placement.start)
                    placement = None
                else:
                    m.add(present == 0)

    def hint(self, placements: dict[int, Placement]) -> None:
        """Start the search from these placements (a first fit; when re-planning, the visits where they are)."""
        m = self.model
        for request in self.instance.requests:
            chosen = None
            if request.id in self.keep_hints:
                option, start = self.keep_hints[request.id]
                chosen = (option[1], start)
            elif request.id in placements:
                placement = placements[request.id]
                for candidate, present, _start, _interval in self.candidates[request.id]:
                    if (
                        candidate.window.id == placement.window
                        and candidate.earliest <= placement.start <= candidate.latest
                    ):
                        chosen = (present, placement.start)
                        break
            for _candidate, present, _start, _interval in self.candidates[request.id]:
                if chosen is not None and present is chosen[0]:
                    m.add_hint(present, 1)
                    m.add_hint(self.marks[present.index], chosen[1] // GRID)
                else:
                    m.add_hint(present, 0)

    # --- groups: routes from and back to the academy ---------------------------------------

    def _groups(self) -> None:
        instance, m = self.instance, self.model
        nodes: dict[tuple[int, int], list[dict]] = defaultdict(list)
        for request in instance.requests:
            for candidate, present, start, interval in self.candidates[request.id]:
                for group in request.groups:
                    nodes[(group, candidate.day.index)].append(
                        {
                            "host": request.host,
                            "start": start,
                            "end": start + request.duration,
                            "length": request.duration,
                            "lo": candidate.earliest,
                            "hi": candidate.latest + request.duration,
                            "present": present,
                            "interval": interval,
                            "fixed": False,
                            "day": candidate.day,
                        }
                    )
        days = {day.index: day for day in instance.days}
        for visit in instance.fixed:
            day = day_of(instance, visit.start)
            if day is None:
                continue
            interval = m.new_fixed_size_interval_var(visit.start, visit.end - visit.start, "")
            for group in visit.groups:
                nodes[(group, day.index)].append(
                    {
                        "host": visit.host,
                        "start": visit.start,
                        "end": visit.end,
                        "length": visit.end - visit.start,
                        "lo": visit.start,
                        "hi": visit.end,
                        "present": None,
                        "interval": interval,
                        "fixed": True,
                        "counts": visit.counts,
                        "day": day,
                    }
                )
        for request, day, stay, interval in self.stays:
            for group in request.groups:
                nodes[(group, day.index)].append(
                    {
                        "host": request.host,
                        "start": request.current,
                        "end": request.current + request.duration,
                        "length": request.duration,
                        "lo": request.current,
                        "hi": request.current + request.duration,
                        "present": stay,
                        "interval": interval,
                        "fixed": True,
                        "day": day,
                    }
                )
        for (group, day_index), items in nodes.items():
            if ("group", group) in self.relax:
                continue
            day = days[day_index]
            variable = [item for item in items if not item["fixed"]]
            if not variable:
                continue  # only what is already there: nothing to decide
            if "per_day" not in self.relax:
                fixed_count = sum(1 for item in items if item["fixed"] and item.get("counts"))
                m.add(sum(item["present"] for item in variable) <= max(0, instance.max_per_day - fixed_count))
            for item in variable:
                self.day_counts[(group, day_index)].append(item["present"])
            route = list(items)
            lunch = None
            if "lunch" not in self.relax and instance.lunch_minutes > 0:
                length = instance.lunch_minutes
                if day.lunch_to - day.lunch_from >= length:
                    lunch_ok = m.new_bool_var("")
                    start = m.new_int_var(day.lunch_from, day.lunch_to - length, "")
                    interval = m.new_optional_fixed_size_interval_var(start, length, lunch_ok, "")
                    for item in variable:
                        m.add_implication(item["present"], lunch_ok)
                    lunch = {"start": start, "end": start + length, "present": lunch_ok, "interval": interval}
                else:
                    for item in variable:
                        m.add(item["present"] == 0)
            m.add_no_overlap([item["interval"] for item in route] + ([lunch["interval"]] if lunch else []))
            self._route(route, day)
            if lunch is not None:
                self._lunch(lunch, route)
            self._span(items, day)

    def _route(self, route: list[dict], day: Day) -> None:
        """The group's day as a circuit from the academy through its visits and back: the arcs
        chosen are the visits' order in time, and their minutes are the day's travel."""
        instance, m = self.instance, self.model
        travel = "travel" not in self.relax
        arcs = []
        empty = m.new_bool_var("")
        arcs.append((0, 0, empty))
        for index, item in enumerate(route, start=1):
            if item["present"] is not None:
                arcs.append((index, index, ~item["present"]))
            else:
                m.add(empty == 0)
            # academy → first
            first = m.new_bool_var("")
            arcs.append((0, index, first))
            leg = instance.minutes(ACADEMY, item["host"])
            if travel and not item["fixed"]:
                m.add(item["start"] >= day.start + leg).only_enforce_if(first)
            if leg:
                self.arcs.append((first, leg))
            # last → academy
            last = m.new_bool_var("")
            arcs.append((index, 0, last))
            leg = instance.minutes(item["host"], ACADEMY)
            if travel and not item["fixed"]:
                m.add(item["end"] + leg <= day.end).only_enforce_if(last)
            if leg:
                self.arcs.append((last, leg))
        for i, a in enumerate(route, start=1):
            for j, b in enumerate(route, start=1):
                if i == j:
                    continue
                both_fixed = a["fixed"] and b["fixed"]
                gap = instance.gap(a["host"], b["host"]) if travel and not both_fixed else 0
                minutes = instance.minutes(a["host"], b["host"])
                # An arc that can never hold: a ends (at the earliest) after b must start (at the latest).
                if a["lo"] + a["length"] + gap > b["hi"] - b["length"]:
                    continue
                literal = m.new_bool_var("")
                arcs.append((i, j, literal))
                m.add(b["start"] >= a["end"] + gap).only_enforce_if(literal)
                if minutes:
                    self.arcs.append((literal, minutes))
        m.add_circuit(arcs)

    def _lunch(self, lunch: dict, route: list[dict]) -> None:
        """Lunch is never eaten on the road: a visit after lunch starts no sooner than the longest
        hop into it from any place of the day (the academy included). It is no stop of the route,
        so it hides no trip: the visits' order alone says the day's travel."""
        instance, m = self.instance, self.model
        travel = "travel" not in self.relax
        places = {item["host"] for item in route} | {ACADEMY}
        for item in route:
            into = instance.longest_hop_into(item["host"], places)
            before = m.new_bool_var("")
            when = [lunch["present"]] if item["present"] is None else [lunch["present"], item["present"]]
            m.add(item["start"] >= lunch["end"] + (into if travel else 0)).only_enforce_if([before, *when])
            m.add(lunch["start"] >= item["end"]).only_enforce_if([~before, *when])

    def _span(self, items: list[dict], day: Day) -> None:
        m = self.model
        lo = min(item["lo"] for item in items)
        hi = max(item["hi"] for item in items)
        first = m.new_int_var(lo, hi, "")
        last = m.new_int_var(lo, hi, "")
        m.add(last >= first)
        for item in items:
            if item["fixed"]:
                m.add(first <= item["start"])
                m.add(last >= item["end"])
            else:
                m.add(first <= item["start"]).only_enforce_if(item["present"])
                m.add(last >= item["end"]).only_enforce_if(item["present"])
        self.cost_terms.append(last - first)

    # --- hosts: capacity per window ---------------------------------------------------------

    def _hosts(self) -> None:
        instance, m = self.instance, self.model
        for window in instance.windows:
            intervals, demands = [], []
            for request in instance.requests:
                if request.host != window.host:
                    continue
                for candidate, _present, _start, interval in self.candidates[request.id]:
                    if candidate.window.id == window.id:
                        intervals.append(interval)
                        demands.append(len(request.groups))
            if not intervals:
                continue
            for visit in instance.fixed:
                if visit.host == window.host and visit.start < window.end and visit.end > window.start:
                    start, end = max(visit.start, window.start), min(visit.end, window.end)
                    intervals.append(m.new_fixed_size_interval_var(start, end - start, ""))
                    demands.append(max(1, len(visit.groups)))
            for request, _day, stay, _interval in self.stays:
                start, end = request.current, request.current + request.duration
                if request.host == window.host and start < window.end and end > window.start:
                    start, end = max(start, window.start), min(end, window.end)
                    intervals.append(m.new_optional_fixed_size_interval_var(start, end - start, stay, ""))
                    demands.append(len(request.groups))
            if sum(demands) > window.capacity:
                m.add_cumulative(intervals, demands, window.capacity)

    # --- objective ----------------------------------------------------------------------------

    def _objective(self) -> None:
        instance, m = self.instance, self.model
        musts = [self.placed[r.id] for r in instance.requests if r.must]
        shoulds = [self.placed[r.id] for r in instance.requests if not r.must]
        kept = list(self.kept.values())
        busiest = []
        for group in instance.groups:
            counts = [sum(lits) for (g, _d), lits in self.day_counts.items() if g == group]
            if counts:
                top = m.new_int_var(0, instance.max_per_day, "")
                for count in counts:
                    m.add(top >= count)
                busiest.append(top)
        self.busiest = busiest
        day_length = max((day.end - day.start for day in instance.days), default=0)
        balance_max = len(busiest) * instance.max_per_day
        cost_max = len(self.cost_terms) * (24 * 60) + TRAVEL_WEIGHT * sum(minutes for _lit, minutes in self.arcs)
        w_cost = balance_max + 1
        w_keep = (cost_max + 1) * w_cost
        w_should = (len(kept) + 1) * w_keep
        w_must = (len(shoulds) + 1) * w_should
        self.weights = {"must": w_must, "should": w_should, "keep": w_keep, "cost": w_cost, "day": day_length}
        # Each group's day span (its visits, waits and travel) plus twice its travel again: an idle
        # minute costs 1, a minute on the road 3.
        cost = sum(self.cost_terms) + TRAVEL_WEIGHT * sum(lit * minutes for lit, minutes in self.arcs)
        m.maximize(w_must * sum(musts) + w_should * sum(shoulds) + w_keep * sum(kept) - w_cost * cost - sum(busiest))

    # --- solving ------------------------------------------------------------------------------

    def solve(self, *, time_limit: float, workers: int = 2, seed: int = 0) -> Solution:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, float(time_limit))
        solver.parameters.num_workers = max(1, workers)
        solver.parameters.random_seed = seed
        began = time.monotonic()
        status = solver.solve(self.model)
        seconds = time.monotonic() - began
        name = solver.status_name(status)
        placements: dict[int, Placement] = {}
        travel = 0
        kept = 0
        if name in ("OPTIMAL", "FEASIBLE"):
            for request in self.instance.requests:
                for candidate, present, start, _interval in self.candidates[request.id]:
                    if solver.boolean_value(present):
                        begin = solver.value(start)
                        placements[request.id] = Placement(
                            request.id, candidate.window.id, begin, begin + request.duration
                        )
            travel = route_travel(self.instance, placements)
            kept = sum(1 for literal in self.kept.values() if solver.boolean_value(literal))
            objective, bound = solver.objective_value, solver.best_objective_bound
            balance = sum(solver.value(top) for top in self.busiest)
        else:
            objective = bound = 0.0
            balance = 0
        return Solution(name, placements, objective, bound, seconds, travel, kept, dict(self.weights), balance)


def route_travel(instance: Instance, placements: dict[int, Placement]) -> int:
    """Group-minutes on the road: each group's day from the academy through its visits (placed and
    fixed, in time order) and back, summed over groups and days."""
    routes: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    requests = {request.id: request for request in instance.requests}
    for placement in placements.values():
        request = requests[placement.request]
        day = day_of(instance, placement.start)
        for group in request.groups:
            routes[(group, day.index if day else -1)].append((placement.start, request.host))
    for request in instance.requests:
        if request.id not in placements and request.current is not None:
            day = day_of(instance, request.current)
            for group in request.groups:
                routes[(group, day.index if day else -1)].append((request.current, request.host))
    busy = set(routes)
    for visit in instance.fixed:
        day = day_of(instance, visit.start)
        for group in visit.groups:
            if (group, day.index if day else -1) in busy:
                routes[(group, day.index if day else -1)].append((visit.start, visit.host))
    total = 0
    for stops in routes.values():
        places = [ACADEMY, *(host for _start, host in sorted(stops)), ACADEMY]
        total += sum(instance.minutes(a, b) for a, b in itertools.pairwise(places))
    return total


def _complete(instance: Instance, start: dict[int, Placement], *, time_limit: float, workers: int):
    """The first fit as a full assignment of the model's variables (arcs, lunch, spans): a solve
    of the same model with its placements fixed. (values, objective), or None in time."""
    completing = _Model(instance)
    completing.fix(start)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = max(1, workers)
    status = solver.solve(completing.model)
    if solver.status_name(status) not in ("OPTIMAL", "FEASIBLE"):
        return None
    return list(solver.response_proto.solution), solver.objective_value


def solve(instance: Instance, *, time_limit: float = 10, workers: int = 2, seed: int = 0) -> Solution:
    """The best proposal CP-SAT finds within the time limit, starting from a first fit. The first
    fit stands when the search has found nothing better in time (a large instance's presolve, a
    loaded machine): it keeps the same rules, and the scheduling service checks it like any other."""
    from .greedy import first_fit

    began = time.monotonic()
    start = first_fit(instance)
    model = _Model(instance)
    # CP-SAT takes a hint in full or spends its time completing it: the first fit, completed, is a full one.
    completed = _complete(instance, start, time_limit=time_limit * 0.3, workers=workers)
    if completed is not None:
        proto = model.model.proto
        proto.solution_hint.vars.extend(range(len(proto.variables)))
        proto.solution_hint.values.extend(completed[0][: len(proto.variables)])
    else:
        model.hint(start)
    remaining = max(0.1, time_limit - (time.monotonic() - began))
    result = model.solve(time_limit=remaining, workers=workers, seed=seed)
    start_objective = completed[1] if completed is not None else None
    if not result.feasible or (start_objective is not None and result.objective < start_objective):
        result = Solution(
            "FEASIBLE" if start else result.status,
            dict(start),
            start_objective if start_objective is not None else 0.0,
            max(result.bound, start_objective or 0.0) if result.feasible else 0.0,
            0.0,
            route_travel(instance, start),
            0,
            dict(model.weights) if start_objective is not None else {},
            0,
        )
    result.seconds = time.monotonic() - began
    return result


def feasible(instance: Instance, *, force: int, relax: Iterable = (), time_limit: float = 2) -> bool | None:
    """Can `force` be placed with these families of constraints left out? None when unknown."""
    model = _Model(instance, relax=frozenset(relax), force=force)
    result = model.solve(time_limit=time_limit, workers=1)
    if result.status in ("OPTIMAL", "FEASIBLE"):
        return True
    if result.status == "INFEASIBLE":
        return False
    return None

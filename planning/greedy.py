"""First fit: each request, musts first and the least flexible first, at the earliest moment the
rules allow. Far from optimal, but quick; CP-SAT starts from it (a solution hint), and the
benchmark compares against it (bench/planning.py).

It keeps the solver's rules (planning.solver): the trip from and back to the academy, the
travel time and transfer buffer between visits at different hosts, a lunch break whose next
visit waits the longest hop into it, K visits a day, host capacity per window.
"""

import itertools
from collections import defaultdict

from .solver import ACADEMY, Instance, Placement, candidates_of, day_of, on_grid


def first_fit(instance: Instance) -> dict[int, Placement]:
    schedules: dict[tuple[int, int], list[tuple[int, int, int, bool]]] = defaultdict(list)  # (start, end, host, counts)
    for visit in instance.fixed:
        day = day_of(instance, visit.start)
        if day is not None:
            for group in visit.groups:
                schedules[(group, day.index)].append((visit.start, visit.end, visit.host, visit.counts))
    host_load: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # window → (start, end, demand)
    for window in instance.windows:
        for visit in instance.fixed:
            if visit.host == window.host and visit.start < window.end and visit.end > window.start:
                host_load[window.id].append((visit.start, visit.end, max(1, len(visit.groups))))
    candidates = {request.id: candidates_of(instance, request) for request in instance.requests}
    # The places each group may visit each day: the lunch rule's longest hop is over them all.
    places: dict[tuple[int, int], set[int]] = defaultdict(lambda: {ACADEMY})
    for request in instance.requests:
        for candidate in candidates[request.id]:
            for group in request.groups:
                places[(group, candidate.day.index)].add(request.host)
    for (group, day_index), items in schedules.items():
        places[(group, day_index)].update(host for _s, _e, host, _c in items)

    order = sorted(
        instance.requests,
        key=lambda r: (not r.must, len({c.day.index for c in candidates[r.id]}), -r.duration, r.id),
    )
    placed: dict[int, Placement] = {}
    for request in order:
        for candidate in sorted(candidates[request.id], key=lambda c: (c.day.index, c.earliest)):
            start = _earliest(instance, request, candidate, schedules, host_load, places)
            if start is None:
                continue
            end = start + request.duration
            for group in request.groups:
                schedules[(group, candidate.day.index)].append((start, end, request.host, True))
            host_load[candidate.window.id].append((start, end, len(request.groups)))
            placed[request.id] = Placement(request.id, candidate.window.id, start, end)
            break
    return placed


def _earliest(instance, request, candidate, schedules, host_load, places) -> int | None:
    day = candidate.day
    # The events where a visit may start (after another, its trip, a host's previous group), on the
    # five-minute marks, and a 15-minute grid for the starts the lunch break pushes.
    options = set(range(candidate.earliest, candidate.latest + 1, 15)) | {candidate.latest}
    for group in request.groups:
        for _start, end, host, _counts in schedules[(group, day.index)]:
            options.add(on_grid(end + instance.gap(host, request.host)))
    for _start, end, _demand in host_load[candidate.window.id]:
        options.add(on_grid(end))
    for start in sorted(option for option in options if candidate.earliest <= option <= candidate.latest):
        if all(
            _fits(instance, request, start, day, schedules[(g, day.index)], places[(g, day.index)])
            for g in request.groups
        ) and _room(
            candidate.window.capacity,
            host_load[candidate.window.id],
            start,
            start + request.duration,
            len(request.groups),
        ):
            return start
    return None


def _room(capacity: int, load: list[tuple[int, int, int]], start: int, end: int, demand: int) -> bool:
    points = [start] + [s for s, _e, _d in load if start < s < end]
    return all(demand + sum(d for s, e, d in load if s <= point < e) <= capacity for point in points)


def _fits(instance: Instance, request, start: int, day, items, places) -> bool:
    end = start + request.duration
    if sum(1 for item in items if item[3]) >= instance.max_per_day:
        return False
    route = sorted([*items, (start, end, request.host, True)])
    for (s1, e1, h1, _c1), (s2, _e2, h2, _c2) in itertools.pairwise(route):
        if s2 < e1 + (
            instance.gap(h1, h2) if (s1, h1) == (start, request.host) or (s2, h2) == (start, request.host) else 0
        ):
            return False
    if instance.lunch_minutes <= 0:
        return True
    # A free stretch for lunch: after a visit, and before the next by the longest hop into it.
    length = instance.lunch_minutes
    stops = [(None, day.start, ACADEMY), *((s, e, h) for s, e, h, _c in route), (day.end, None, None)]
    for (_s1, e1, _h1), (s2, _e2, h2) in itertools.pairwise(stops):
        into = 0 if h2 is None else instance.longest_hop_into(h2, places)
        begin = max(e1, day.lunch_from)
        finish = day.lunch_to if s2 is None else min(day.lunch_to, s2 - into)
        if finish - begin >= length:
            return True
    return False

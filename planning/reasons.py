"""Why a request was not placed, found by relaxing constraints one family at a time.

For an unplaced request the proposer first checks what needs no solver (the host has no
window at all; none of its windows leaves room for the visit on the allowed days; a group
already needs more hours on its only possible day than the day has), then rebuilds a small
model: the request alone, forced in, with every visit of the proposal around it fixed, and
asks CP-SAT whether it becomes feasible once one family of constraints is left out: the K
visits a day, lunch, travel, the host's capacity, each of its groups. The first family whose
removal makes room is the reason. Reasons are codes with parameters (ids, day indices,
minutes); planning.messages words them in the reader's language.
"""

from collections import defaultdict

from . import solver

EXPLAIN_AT_MOST = 60  # beyond this many unplaced requests, the rest get the generic reason
RELAX_SECONDS = 1.0


def _mini(instance: solver.Instance, result: solver.Solution, request: solver.Request) -> solver.Instance:
    """The request alone among the proposal's visits (fixed) that share a group or its host."""
    groups = set(request.groups)
    fixed = [visit for visit in instance.fixed if groups.intersection(visit.groups) or visit.host == request.host]
    for other in instance.requests:
        if other.id == request.id:
            continue
        placement = result.placements.get(other.id)
        if placement is None and other.current is not None:  # its visit stays where it is
            placement = solver.Placement(other.id, 0, other.current, other.current + other.duration)
        if placement is None:
            continue
        if groups.intersection(other.groups) or other.host == request.host:
            fixed.append(solver.Fixed(-other.id, other.groups, other.host, placement.start, placement.end, counts=True))
    return solver.Instance(
        days=instance.days,
        groups=sorted(groups),
        windows=[window for window in instance.windows if window.host == request.host],
        requests=[request],
        fixed=fixed,
        travel=instance.travel,
        lunch_minutes=instance.lunch_minutes,
        max_per_day=instance.max_per_day,
    )


def _pinned_loads(instance: solver.Instance) -> dict[tuple[int, int], int]:
    """Minutes each group must spend on a day: its fixed visits and the musts that can go nowhere else."""
    loads: dict[tuple[int, int], int] = defaultdict(int)
    for visit in instance.fixed:
        day = solver.day_of(instance, visit.start)
        if day is not None:
            for group in visit.groups:
                loads[(group, day.index)] += visit.end - visit.start
    for request in instance.requests:
        days = {candidate.day.index for candidate in solver.candidates_of(instance, request)}
        if request.must and len(days) == 1:
            (only,) = days
            for group in request.groups:
                loads[(group, only)] += request.duration
    return loads


def explain(instance: solver.Instance, result: solver.Solution) -> dict[int, dict]:
    """request id → {"code", **parameters} for every request the solution leaves out."""
    reasons: dict[int, dict] = {}
    hosts_with_windows = {window.host for window in instance.windows}
    loads = None
    explained = 0
    for request in instance.requests:
        if request.id in result.placements:
            continue
        base = {"host": request.host, "duration": request.duration, "first_day": request.first_day}
        base["last_day"] = request.last_day
        if request.host not in hosts_with_windows:
            reasons[request.id] = {"code": "no_window", **base}
            continue
        candidates = solver.candidates_of(instance, request)
        if not candidates:
            reasons[request.id] = {"code": "no_window_in_dates", **base}
            continue
        days = sorted({candidate.day.index for candidate in candidates})
        base["first_day"], base["last_day"] = days[0], days[-1]
        if loads is None:
            loads = _pinned_loads(instance)
        day_length = max(day.end - day.start for day in instance.days)
        if len(days) == 1:
            full = [group for group in request.groups if loads.get((group, days[0]), 0) > day_length]
            if full:
                reasons[request.id] = {
                    "code": "day_too_full",
                    **base,
                    "group": full[0],
                    "load": loads[(full[0], days[0])],
                    "day_length": day_length,
                }
                continue
        if explained >= EXPLAIN_AT_MOST:
            reasons[request.id] = {"code": "no_room", **base}
            continue
        explained += 1
        reasons[request.id] = {**_relaxed(instance, result, request), **base}
    return reasons


def _relaxed(instance: solver.Instance, result: solver.Solution, request: solver.Request) -> dict:
    mini = _mini(instance, result, request)
    if solver.feasible(mini, force=request.id, time_limit=RELAX_SECONDS):
        return {"code": "not_chosen"}
    for code, relax in (("per_day", {"per_day"}), ("lunch", {"lunch"}), ("travel", {"travel"})):
        if solver.feasible(mini, force=request.id, relax=relax, time_limit=RELAX_SECONDS):
            return {"code": code, "groups": list(request.groups)}
    if solver.feasible(mini, force=request.id, relax={"capacity"}, time_limit=RELAX_SECONDS):
        return {"code": "host_full"}
    busy = [
        group
        for group in request.groups
        if solver.feasible(mini, force=request.id, relax={("group", group)}, time_limit=RELAX_SECONDS)
    ]
    if busy:
        return {"code": "groups_busy", "groups": busy}
    everyone = {("group", group) for group in request.groups}
    if solver.feasible(mini, force=request.id, relax=everyone, time_limit=RELAX_SECONDS):
        return {"code": "groups_busy", "groups": list(request.groups)}
    return {"code": "no_room"}

"""`python -m bench.planning` (`make bench-planning`): the schedule proposer at demo scale and ×10.

1. Builds a fresh SQLite database of its own (the embedded default: the solver does not care
   which engine the inputs came from), loads the demo at scale 1 and 10 (host windows and
   visit requests included, demo/planning.py).
2. For each scale, in a child process of its own (so that its peak memory is the solve's):
   builds the solver's instance from the database, runs the first-fit baseline, then CP-SAT
   with the scale's time limit (10 s and 60 s) on 2 workers, and checks both answers with
   an independent checker (`violations`: group overlaps with each other and the fixed
   visits, the transfer buffer and travel between consecutive visits, the trip from and back
   to the academy, host windows and capacity, the day's hours).
3. Prints the table and writes bench/planning-results.json (docs/benchmarks.md quotes it).

The baseline is planning.greedy.first_fit: musts first, least flexible first, each at the
earliest moment the rules allow. It is also where CP-SAT starts (a completed hint), so CP-SAT
places at least as many by construction; the table shows what the search adds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "planning-results.json"
SCALES = {1: 10, 10: 60}  # scale → time limit (seconds)


def violations(instance, placements) -> list[str]:
    """Every hard rule a set of placements breaks (an empty list: none)."""
    from planning.solver import ACADEMY, day_of

    found = []
    requests = {request.id: request for request in instance.requests}
    windows = {window.id: window for window in instance.windows}
    per_group = defaultdict(list)
    for placement in placements.values():
        request = requests[placement.request]
        window = windows[placement.window]
        if window.host != request.host or placement.start < window.start or placement.end > window.end:
            found.append(f"request {request.id} outside its window")
        if placement.end - placement.start != request.duration:
            found.append(f"request {request.id} has the wrong length")
        day = day_of(instance, placement.start)
        if day is None or not request.first_day <= day.index <= request.last_day:
            found.append(f"request {request.id} outside its dates")
        elif placement.start < day.start + instance.minutes(ACADEMY, request.host):
            found.append(f"request {request.id} starts before the group can get there")
        elif placement.end + instance.minutes(request.host, ACADEMY) > day.end:
            found.append(f"request {request.id} ends too late to be back")
        for group in request.groups:
            per_group[group].append((placement.start, placement.end, request.host, True))
    for visit in instance.fixed:
        for group in visit.groups:
            per_group[group].append((visit.start, visit.end, visit.host, False))
    for group, items in per_group.items():
        items.sort()
        for (_s1, e1, h1, v1), (s2, _e2, h2, v2) in itertools.pairwise(items):
            if s2 < e1:
                found.append(f"group {group} in two places at {s2}")
            elif (v1 or v2) and s2 < e1 + instance.gap(h1, h2):
                found.append(f"group {group} has no time to travel at {s2}")
    for window in instance.windows:
        load = [(p.start, p.end, len(requests[p.request].groups)) for p in placements.values() if p.window == window.id]
        load += [
            (max(v.start, window.start), min(v.end, window.end), max(1, len(v.groups)))
            for v in instance.fixed
            if v.host == window.host and v.start < window.end and v.end > window.start
        ]
        for start, _end, _demand in load:
            if sum(d for s, e, d in load if s <= start < e) > window.capacity:
                found.append(f"window {window.id} over capacity at {start}")
                break
    return found


def solve_one(slug: str, time_limit: int) -> dict:
    """Run in the child: the baseline and CP-SAT on one program; peak memory of this process."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internship_portal.settings")
    django.setup()
    from planning import solver
    from planning.greedy import first_fit
    from planning.selectors import build_instance
    from programs.models import Program

    program = Program.objects.get(slug=slug)
    began = time.monotonic()
    built = build_instance(program=program)
    build_seconds = time.monotonic() - began
    instance = built.instance
    musts = [r.id for r in instance.requests if r.must]

    began = time.monotonic()
    greedy = first_fit(instance)
    greedy_seconds = time.monotonic() - began
    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = solver.solve(instance, time_limit=time_limit, workers=2)
    return {
        "slug": slug,
        "groups": len(instance.groups),
        "hosts": len({r.host for r in instance.requests}),
        "requests": len(instance.requests),
        "musts": len(musts),
        "windows": len(instance.windows),
        "fixed_visits": len(instance.fixed),
        "build_seconds": round(build_seconds, 2),
        "greedy": {
            "seconds": round(greedy_seconds, 3),
            "placed": len(greedy),
            "musts_placed": sum(1 for r in musts if r in greedy),
            "travel_minutes": solver.route_travel(instance, greedy),
            "violations": len(violations(instance, greedy)),
        },
        "cpsat": {
            "time_limit": time_limit,
            "seconds": round(result.seconds, 2),
            "status": result.status,
            "placed": len(result.placements),
            "musts_placed": sum(1 for r in musts if r in result.placements),
            "travel_minutes": result.travel_minutes,
            "violations": len(violations(instance, result.placements)),
            "gap": result.gap_ratio(),
            "cost_gap": result.cost_gap(instance),
        },
        "max_rss_mb_before_solve": round(memory_before / 1024),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _run(env: dict, *args: str, timeout: int = 1800) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=True
    )
    return done.stdout


def table(rows: list[dict]) -> str:
    lines = [
        "| scale | groups | requests (musts) | solver | time (s) | placed | musts placed | travel (group-min) "
        "| hard violations | gap to bound (all levels / travel+idle) | peak RSS (MB) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        g, c = row["greedy"], row["cpsat"]
        scale = row["scale"]
        cost_gap = "n/a" if c["cost_gap"] is None else f"{c['cost_gap']:.1%}"
        lines.append(
            f"| ×{scale} | {row['groups']} | {row['requests']} ({row['musts']}) | first fit | {g['seconds']} "
            f"| {g['placed']} | {g['musts_placed']} | {g['travel_minutes']} | {g['violations']} | — | — |"
        )
        lines.append(
            f"| ×{scale} | {row['groups']} | {row['requests']} ({row['musts']}) | CP-SAT {c['status']} "
            f"(limit {c['time_limit']} s) | {c['seconds']} | {c['placed']} | {c['musts_placed']} "
            f"| {c['travel_minutes']} | {c['violations']} | {c['gap']:.4%} / {cost_gap} | {row['max_rss_mb']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--solve", help=argparse.SUPPRESS)
    parser.add_argument("--time-limit", type=int, default=10, help=argparse.SUPPRESS)
    parser.add_argument("--scales", default="1,10", help="demo scales to run (1,10)")
    args = parser.parse_args(argv)
    if args.solve:
        print(json.dumps(solve_one(args.solve, args.time_limit)))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "SQLITE_PATH": str(Path(folder) / "bench.sqlite3")}
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        _run(env, "manage.py", "migrate", "--noinput", "-v0")
        rows = []
        for scale in [int(part) for part in args.scales.split(",")]:
            print(f"loading the demo at scale {scale} …", flush=True)
            _run(env, "manage.py", "load_demo", "--scale", str(scale))
            slug = "human-capital-2026" if scale == 1 else f"human-capital-2026-x{scale}"
            limit = SCALES.get(scale, 60)
            print(f"solving ×{scale} (limit {limit} s) …", flush=True)
            row = json.loads(_run(env, "-m", "bench.planning", "--solve", slug, "--time-limit", str(limit)))
            row["scale"] = scale
            rows.append(row)
    RESULTS.write_text(
        json.dumps({"measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "rows": rows}, indent=2) + "\n"
    )
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

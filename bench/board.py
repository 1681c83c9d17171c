"""The board's writes under the benchmark: shifting a busy day, and saving a dragged block.

- **Shift**: `POST /api/v1/programs/{slug}/visits/shift/` moving every visit of the
  fixture's busy day by +30 minutes, then -30 (back where they were), `rounds`
  times each way; the ×10 day holds ~170 visits. Target: every shift ≤ 1 s at ×10.
- **Drag-save**: `POST /organiser/programs/{slug}/board/move/` (what the board's
  script sends on a drop, with the organiser's session and CSRF token), moving one
  single-group visit of the busy day to the free day and back; median and p90.
  Target: the ×10 median within DRAG_SAVE_MAX_GROWTH of the ×1 one (a drop checks
  the moved visit's groups only, whatever the program's size).
Queries of one request are counted in-process with Django's test client.
"""

from __future__ import annotations

import http.client
import json
import re
import time
from collections.abc import Callable

from . import report
from .paths import AUTH_API, AUTH_SESSION, Fixture, headers_for

SHIFT_MAX_SECONDS = 1.0
DRAG_SAVE_MAX_GROWTH = 1.5


def _post(port: int, url: str, body: dict, headers: dict[str, str]) -> tuple[int, bytes, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        started = time.perf_counter()
        connection.request("POST", url, body=json.dumps(body), headers={**headers, "Content-Type": "application/json"})
        response = connection.getresponse()
        content = response.read()
        return response.status, content, time.perf_counter() - started
    finally:
        connection.close()


def _csrf_headers(port: int, fixture: Fixture) -> dict[str, str]:
    """The organiser's session with a CSRF cookie and header, as the board page hands them to its script."""
    from django.conf import settings

    session = headers_for(AUTH_SESSION, fixture, session_cookie=settings.SESSION_COOKIE_NAME)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "GET", f"/organiser/programs/{fixture.slug}/board/?day={fixture.day.isoformat()}", headers=session
        )
        response = connection.getresponse()
        response.read()
        cookies = response.getheader("Set-Cookie") or ""
    finally:
        connection.close()
    match = re.search(r"csrftoken=([^;]+)", cookies)
    if not match:
        raise RuntimeError(f"the board page set no CSRF cookie (status {response.status})")
    token = match.group(1)
    return {"Cookie": f"{session['Cookie']}; csrftoken={token}", "X-CSRFToken": token}


def _queries(call: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def measure_shift(fixture: Fixture, port: int, rounds: int) -> dict:
    from django.test import Client

    url = f"/api/v1/programs/{fixture.slug}/visits/shift/"
    headers = headers_for(AUTH_API, fixture)
    timings, moved = [], 0
    for _ in range(rounds):
        for minutes in (30, -30):
            status, content, elapsed = _post(port, url, {"date": fixture.day.isoformat(), "minutes": minutes}, headers)
            if status != 200:
                raise RuntimeError(f"the shift answered {status}: {content[:300]!r}")
            moved = len(json.loads(content))
            timings.append(elapsed)
    client = Client(HTTP_HOST="127.0.0.1")

    def shift(minutes: int):
        return client.post(url, data=json.dumps({"date": fixture.day.isoformat(), "minutes": minutes}),
                           content_type="application/json", HTTP_AUTHORIZATION=headers["Authorization"])  # fmt: skip

    queries = _queries(lambda: shift(30))
    shift(-30)
    summary = report.summarise_timings(timings)
    return {**summary, "max_ms": round(max(timings) * 1000, 3), "visits_moved": moved, "queries": queries}


def measure_drag_save(fixture: Fixture, port: int, count: int) -> dict:
    from datetime import timedelta

    from django.conf import settings
    from django.test import Client

    from programs.models import Program
    from visits.models import SiteVisit, VisitGroup

    program = Program.objects.get(slug=fixture.slug)
    tz = program.tzinfo
    day_start = program.starts_at() + timedelta(days=(fixture.day - program.start_date).days)
    single = (
        VisitGroup.objects.filter(visit__program=program, visit__starts_at__gte=day_start,
                                  visit__starts_at__lt=day_start + timedelta(days=1))
        .values("visit_id").order_by("visit_id")
    )  # fmt: skip
    counts: dict[int, int] = {}
    for row in single:
        counts[row["visit_id"]] = counts.get(row["visit_id"], 0) + 1
    visit = SiteVisit.objects.filter(pk__in=[pk for pk, n in counts.items() if n == 1]).order_by("starts_at").first()
    start = visit.starts_at.astimezone(tz)
    minutes = (
        start.hour * 60 + start.minute,
        start.hour * 60 + start.minute + int((visit.ends_at - visit.starts_at).total_seconds() // 60),
    )
    places = [(fixture.free_day, 20 * 60, 20 * 60 + (minutes[1] - minutes[0])), (fixture.day, *minutes)]
    url = f"/organiser/programs/{fixture.slug}/board/move/"
    headers = _csrf_headers(port, fixture)

    def body(number: int) -> dict:
        day, begin, end = places[number % 2]
        return {"visit": visit.pk, "date": day.isoformat(), "start": begin, "end": end}

    timings = []
    for number in range(count + 4):
        status, content, elapsed = _post(port, url, body(number), headers)
        if status != 200:
            raise RuntimeError(f"the drag-save answered {status}: {content[:300]!r}")
        if number >= 4:  # the first few warm the workers up
            timings.append(elapsed)
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = fixture.session_key
    queries = _queries(lambda: client.post(url, data=json.dumps(body(0)), content_type="application/json"))
    client.post(url, data=json.dumps(body(1)), content_type="application/json")
    return {**report.summarise_timings(timings), "queries": queries}


def evaluate(entry: dict) -> dict:
    shift = entry.get("shift", {}).get("10", {})
    entry["shift_target"] = {
        "max_s": SHIFT_MAX_SECONDS,
        "met": bool(shift) and shift["max_ms"] <= SHIFT_MAX_SECONDS * 1000,
    }
    one = entry.get("drag_save", {}).get("1", {})
    ten = entry.get("drag_save", {}).get("10", {})
    growth = report.ratio(ten.get("median_ms"), one.get("median_ms"))
    entry["drag_save_growth"] = round(growth, 3) if growth is not None else None
    entry["drag_save_target"] = {
        "max_growth": DRAG_SAVE_MAX_GROWTH,
        "met": growth is not None and growth <= DRAG_SAVE_MAX_GROWTH,
    }
    return entry


def format_lines(entry: dict) -> list[str]:
    lines = ["", "| the board's writes | scale | median ms | p90 ms | max ms | queries | target |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]  # fmt: skip
    if not entry.get("available", True):
        return [*lines, f"| not measured: {entry.get('reason', '')} | | | | | | |"]
    for scale, measured in sorted(entry.get("shift", {}).items(), key=lambda item: int(item[0])):
        target = ""
        if scale == "10":
            target = f"every shift ≤ {SHIFT_MAX_SECONDS:g} s {'met' if entry['shift_target']['met'] else 'MISSED'}"
        lines.append(
            f"| shift a busy day ({measured['visits_moved']} visits) | ×{scale} | {measured['median_ms']:.1f} | "
            f"{measured['p90_ms']:.1f} | {measured['max_ms']:.1f} | {measured['queries']} | {target} |"
        )
    for scale, measured in sorted(entry.get("drag_save", {}).items(), key=lambda item: int(item[0])):
        target = ""
        if scale == "10":
            verdict = "met" if entry["drag_save_target"]["met"] else "MISSED"
            target = f"×10 / ×1 {entry['drag_save_growth']:.2f} ≤ {DRAG_SAVE_MAX_GROWTH} {verdict}"
        lines.append(
            f"| drag-save (board/move/) | ×{scale} | {measured['median_ms']:.1f} | {measured['p90_ms']:.1f} | "
            f"| {measured['queries']} | {target} |"
        )
    return lines


def run_board(fixtures: dict[int, Fixture], port: int, *, rounds: int, drags: int, log: Callable[[str], None]) -> dict:
    entry: dict = {"available": True, "shift": {}, "drag_save": {}}
    if not all(fixture.api_token and fixture.session_key for fixture in fixtures.values()):
        return {"available": False, "reason": "needs an API token and an organiser session"}
    try:
        for scale, fixture in fixtures.items():
            log(f"board shift ×{scale}")
            entry["shift"][str(scale)] = measure_shift(fixture, port, rounds)
            log(f"board drag-save ×{scale}")
            entry["drag_save"][str(scale)] = measure_drag_save(fixture, port, drags)
    except RuntimeError as exc:
        return {"available": False, "reason": str(exc)[:300]}
    return evaluate(entry)

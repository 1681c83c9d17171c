"""Turn measurements into ratios, verdicts against issue 6's targets, and the table.

Pure functions over plain dicts (the shape of bench/results.json), so the
arithmetic is tested without running a benchmark (tests/bench/test_report.py).
"""

from __future__ import annotations

import statistics
from typing import Any

from .paths import CREATE_VISIT_MAX_GROWTH, SENDOUT_MAX_RATIO, WORKER_MEMORY_MAX_GROWTH


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def best_floor(floors: dict[str, dict]) -> tuple[str | None, dict | None]:
    """The fastest of the floor builds that answered without errors: the honest lower bound."""
    valid = {name: result for name, result in floors.items() if result and not result.get("errors")}
    if not valid:
        return None, None
    name = max(valid, key=lambda key: valid[key]["rps"])
    return name, valid[name]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation), as wrk reports them."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil
    return ordered[int(rank) - 1]


def summarise_timings(seconds: list[float]) -> dict[str, float]:
    return {
        "n": len(seconds),
        "median_ms": round(statistics.median(seconds) * 1000, 2),
        "p90_ms": round(percentile(seconds, 90) * 1000, 2),
        "mean_ms": round(statistics.fmean(seconds) * 1000, 2),
    }


def evaluate_path(entry: dict[str, Any], *, min_ratio: float) -> dict[str, Any]:
    """Ratio to the floor at each scale, the verdict at scale 10, and whether the query count stays put."""
    scales = entry.get("scales", {})
    for measured in scales.values():
        name, floor = best_floor(measured.get("floors", {}))
        real = measured.get("real")
        measured["floor_build"] = name
        measured["ratio"] = None
        value = ratio(real["rps"], floor["rps"]) if real and floor and not real.get("errors") else None
        measured["ratio"] = round(value, 3) if value is not None else None
    at_ten = scales.get("10", {}).get("ratio")
    queries = [measured.get("queries") for measured in scales.values()]
    entry["target"] = {
        "min_ratio": min_ratio,
        "ratio_at_10": at_ten,
        "met": at_ten is not None and at_ten >= min_ratio,
    }
    entry["queries_identical"] = len(queries) > 1 and None not in queries and len(set(queries)) == 1
    return entry


def evaluate_create(entry: dict[str, Any]) -> dict[str, Any]:
    one = entry.get("scales", {}).get("1", {})
    ten = entry.get("scales", {}).get("10", {})
    growth = ratio(ten.get("median_ms"), one.get("median_ms"))
    entry["growth"] = round(growth, 3) if growth is not None else None
    entry["target"] = {
        "max_growth": CREATE_VISIT_MAX_GROWTH,
        "met": growth is not None and growth <= CREATE_VISIT_MAX_GROWTH,
    }
    queries = [one.get("queries"), ten.get("queries")]
    entry["queries_identical"] = None not in queries and queries[0] == queries[1]
    return entry


def evaluate_sendout(entry: dict[str, Any]) -> dict[str, Any]:
    by_scale = entry.get("scales", {})
    ten = by_scale.get("10", {})
    one = by_scale.get("1", {})
    time_ratio = ratio(ten.get("celery_s"), ten.get("render_loop_s"))
    memory_growth = ratio(ten.get("worker_peak_rss_mb"), one.get("worker_peak_rss_mb"))
    entry["ratio"] = round(time_ratio, 3) if time_ratio is not None else None
    entry["memory_growth"] = round(memory_growth, 3) if memory_growth is not None else None
    complete = bool(ten) and ten.get("delivered") == ten.get("emails")
    time_met = complete and time_ratio is not None and time_ratio <= SENDOUT_MAX_RATIO
    memory_met = memory_growth is not None and memory_growth <= WORKER_MEMORY_MAX_GROWTH
    entry["target"] = {
        "max_ratio": SENDOUT_MAX_RATIO,
        "max_memory_growth": WORKER_MEMORY_MAX_GROWTH,
        "time_met": time_met,
        "memory_met": memory_met,
        "met": time_met and memory_met,
    }
    return entry


def _fmt(value: float | None, pattern: str = "{:.0f}") -> str:
    return "–" if value is None else pattern.format(value)


def _verdict(met: bool | None) -> str:
    return "✅" if met else "❌"


def format_table(results: dict[str, Any]) -> str:
    """Markdown: one row per path and scale, then create-visit and send-out."""
    lines = [
        "| path | scale | req/s | p50 ms | p99 ms | floor req/s | floor p50 ms | ratio | target | queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for entry in results.get("paths", {}).values():
        if not entry.get("available"):
            lines.append(f"| {entry['label']} | | not measured: {entry.get('reason', '')} | | | | | | | |")
            continue
        for scale, measured in sorted(entry["scales"].items(), key=lambda item: int(item[0])):
            real = measured.get("real") or {}
            floor = (measured.get("floors") or {}).get(measured.get("floor_build") or "", {})
            target = ""
            if scale == "10":
                target = f"≥ {entry['target']['min_ratio']} {_verdict(entry['target']['met'])}"
            queries = _fmt(measured.get("queries"), "{}")
            if scale == "10":
                queries += " " + _verdict(entry.get("queries_identical"))
            errors = f" ({real['errors']} errors)" if real.get("errors") else ""
            cells = [
                entry["label"],
                f"×{scale}",
                _fmt(real.get("rps")) + errors,
                _fmt(real.get("p50_ms"), "{:.1f}"),
                _fmt(real.get("p99_ms"), "{:.1f}"),
                _fmt(floor.get("rps")),
                _fmt(floor.get("p50_ms"), "{:.1f}"),
                _fmt(measured.get("ratio"), "{:.3f}"),
                target,
                queries,
            ]
            lines.append("| " + " | ".join(cells) + " |")
    board = results.get("board_writes")
    if board:
        from .board import format_lines

        lines += format_lines(board)
    create = results.get("create_visit")
    if create:
        lines += [
            "",
            "| creating a visit (POST, conflict check) | scale | median ms | p90 ms | queries |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        if not create.get("available", True):
            lines.append(f"| not measured: {create.get('reason', '')} | | | | |")
        else:
            for scale, measured in sorted(create.get("scales", {}).items(), key=lambda item: int(item[0])):
                median, p90 = _fmt(measured.get("median_ms"), "{:.1f}"), _fmt(measured.get("p90_ms"), "{:.1f}")
                lines.append(f"| | ×{scale} | {median} | {p90} | {_fmt(measured.get('queries'), '{}')} |")
            lines.append(
                f"| ×10 / ×1 | | {_fmt(create.get('growth'), '{:.2f}')} (≤ {CREATE_VISIT_MAX_GROWTH} "
                f"{_verdict(create['target']['met'])}) | | {_verdict(create.get('queries_identical'))} |"
            )
    sendout = results.get("sendout")
    if sendout:
        lines += [
            "",
            "| send-out | scale | e-mails | delivered | Celery (2 workers) s | plain render loop s | ratio "
            "| worker peak RSS MB |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        if not sendout.get("available", True):
            lines.append(f"| not measured: {sendout.get('reason', '')} | | | | | | | |")
        else:
            for scale, measured in sorted(sendout.get("scales", {}).items(), key=lambda item: int(item[0])):
                scale_ratio = ratio(measured.get("celery_s"), measured.get("render_loop_s"))
                lines.append(
                    f"| | ×{scale} | {_fmt(measured.get('emails'), '{}')} | {_fmt(measured.get('delivered'), '{}')} "
                    f"| {_fmt(measured.get('celery_s'), '{:.2f}')} | {_fmt(measured.get('render_loop_s'), '{:.2f}')} "
                    f"| {_fmt(scale_ratio, '{:.2f}')} | {_fmt(measured.get('worker_peak_rss_mb'), '{:.0f}')} |"
                )
            target = sendout.get("target", {})
            growth = _fmt(sendout.get("memory_growth"), "{:.2f}")
            lines.append(
                f"| target | | | | | | ≤ {SENDOUT_MAX_RATIO} at ×10 {_verdict(target.get('time_met'))} "
                f"| ×10/×1 {growth} ≤ {WORKER_MEMORY_MAX_GROWTH} {_verdict(target.get('memory_met'))} |"
            )
    return "\n".join(lines)

"""The benchmark harness's own logic: wrk's output, ratios and verdicts, the table, preconditions.

No timing is asserted anywhere: the benchmark's numbers live in docs/benchmarks.md.
"""

import pytest

from bench import report
from bench.floor import ical_escape, ical_fold
from bench.load import LoadError, parse_wrk_output, run_wrk
from bench.run import BenchError, _database_name, check_postgres, main

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/i/abc/
  1 threads and 4 connections
BENCH-RESULT {"requests": 1000, "duration_us": 5000000, "bytes": 123456, "errors": {"connect": 0, "read": 0, \
"write": 0, "status": 2, "timeout": 1}, "p50_us": 3500, "p90_us": 6000, "p99_us": 12000, "mean_us": 4000.0, \
"max_us": 20000}
"""


def test_parse_wrk_output_reads_the_done_hook_line():
    result = parse_wrk_output(WRK_OUTPUT)

    assert result.requests == 1000
    assert result.rps == 200
    assert result.errors == 3
    assert (result.p50_ms, result.p90_ms, result.p99_ms) == (3.5, 6.0, 12.0)


def test_parse_wrk_output_without_result_line_is_an_error():
    with pytest.raises(LoadError, match="no result line"):
        parse_wrk_output("wrk: connection refused\n")


def test_run_wrk_refuses_hosts_other_than_loopback():
    with pytest.raises(LoadError, match=r"only 127\.0\.0\.1"):
        run_wrk("http://example.org/", seconds=1, connections=1)


def _load(rps, errors=0, p50=1.0):
    return {"rps": rps, "errors": errors, "p50_ms": p50, "p99_ms": p50 * 3}


def test_evaluate_path_takes_the_fastest_error_free_floor_and_judges_scale_ten():
    entry = {
        "label": "itinerary",
        "scales": {
            "1": {"real": _load(300), "floors": {"pg": _load(500)}, "queries": 4},
            "10": {
                "real": _load(240),
                "floors": {"pg": _load(400), "orjson": _load(450), "broken": _load(900, errors=5)},
                "queries": 4,
            },
        },
    }

    report.evaluate_path(entry, min_ratio=0.5)

    assert entry["scales"]["10"]["floor_build"] == "orjson"
    assert entry["scales"]["10"]["ratio"] == pytest.approx(240 / 450, abs=1e-3)
    assert entry["target"] == {"min_ratio": 0.5, "ratio_at_10": 0.533, "met": True}
    assert entry["queries_identical"] is True


def test_evaluate_path_misses_the_target_when_slow_or_when_queries_grow():
    entry = {
        "scales": {
            "1": {"real": _load(100), "floors": {"pg": _load(500)}, "queries": 4},
            "10": {"real": _load(100), "floors": {"pg": _load(500)}, "queries": 5},
        }
    }

    report.evaluate_path(entry, min_ratio=0.35)

    assert entry["target"]["met"] is False
    assert entry["target"]["ratio_at_10"] == 0.2
    assert entry["queries_identical"] is False


def test_evaluate_path_with_errors_in_the_real_endpoint_has_no_ratio():
    entry = {"scales": {"10": {"real": _load(100, errors=3), "floors": {"pg": _load(500)}, "queries": 4}}}

    report.evaluate_path(entry, min_ratio=0.2)

    assert entry["scales"]["10"]["ratio"] is None
    assert entry["target"]["met"] is False


def test_evaluate_create_compares_medians_of_both_scales():
    entry = {"scales": {"1": {"median_ms": 40.0, "queries": 20}, "10": {"median_ms": 46.0, "queries": 20}}}

    report.evaluate_create(entry)

    assert entry["growth"] == 1.15
    assert entry["target"]["met"] is True
    assert entry["queries_identical"] is True


def test_evaluate_sendout_needs_speed_flat_memory_and_every_email_delivered():
    entry = {
        "scales": {
            "1": {"emails": 96, "delivered": 96, "celery_s": 1.0, "render_loop_s": 0.8, "worker_peak_rss_mb": 100},
            "10": {"emails": 960, "delivered": 960, "celery_s": 9.0, "render_loop_s": 7.0, "worker_peak_rss_mb": 104},
        }
    }
    report.evaluate_sendout(entry)
    assert entry["target"]["met"] is True
    assert entry["ratio"] == pytest.approx(9 / 7, abs=1e-3)

    entry["scales"]["10"]["delivered"] = 959
    report.evaluate_sendout(entry)
    assert entry["target"]["met"] is False

    entry["scales"]["10"].update(delivered=960, worker_peak_rss_mb=200)
    report.evaluate_sendout(entry)
    assert entry["target"]["met"] is False
    assert (entry["target"]["time_met"], entry["target"]["memory_met"]) == (True, False)
    table = report.format_table({"paths": {}, "sendout": entry})
    assert "≤ 1.5 at ×10 ✅ | ×10/×1 2.00 ≤ 1.2 ❌" in table

    entry["scales"]["10"].update(worker_peak_rss_mb=104, celery_s=14.0)
    report.evaluate_sendout(entry)
    assert (entry["target"]["time_met"], entry["target"]["memory_met"]) == (False, True)


def test_percentile_is_nearest_rank():
    values = [float(n) for n in range(1, 11)]
    assert report.percentile(values, 50) == 5.0
    assert report.percentile(values, 90) == 9.0
    assert report.percentile(values, 99) == 10.0


def test_format_table_lists_each_scale_and_unmeasured_paths():
    results = {
        "paths": {
            "ics": {
                "label": "itinerary .ics",
                "available": True,
                "scales": {
                    "1": {"real": _load(300.4), "floors": {"sql": _load(500)}, "queries": 2},
                    "10": {"real": _load(280), "floors": {"sql": _load(480)}, "queries": 2},
                },
            },
            "board": {"label": "board", "available": False, "reason": "no route yet: /organiser/…"},
        }
    }
    report.evaluate_path(results["paths"]["ics"], min_ratio=0.5)

    table = report.format_table(results)

    assert "| itinerary .ics | ×1 | 300 | 1.0 | 3.0 | 500 | 1.0 | 0.601 |  | 2 |" in table
    assert "| itinerary .ics | ×10 | 280 | 1.0 | 3.0 | 480 | 1.0 | 0.583 | ≥ 0.5 ✅ | 2 ✅ |" in table
    assert "| board | | not measured: no route yet: /organiser/… |" in table


def test_ical_escape_and_fold_follow_rfc_5545():
    assert ical_escape("a, b; c\\d\ne") == "a\\, b\\; c\\\\d\\ne"
    line = "DESCRIPTION:" + "Ж" * 60  # two octets each: must not be cut inside a character
    folded = ical_fold(line)
    parts = folded.split("\r\n ")
    assert "".join(parts) == line
    assert all(len(part.encode()) <= 75 for part in parts)


def test_bench_database_must_be_the_benchmarks_own():
    with pytest.raises(BenchError, match="portal_bench"):
        _database_name("postgres://postgres@127.0.0.1:5432/internship_portal")
    assert _database_name("postgres://postgres@127.0.0.1:5432/portal_bench_x") == "portal_bench_x"


def test_missing_postgres_is_reported_clearly():
    with pytest.raises(BenchError, match="PostgreSQL is not reachable"):
        check_postgres("postgres://postgres@127.0.0.1:1/portal_bench")


def test_run_exits_2_with_a_message_when_postgres_is_missing(monkeypatch, capsys):
    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:1/portal_bench")

    assert main(["--duration", "1"]) == 2
    assert "PostgreSQL is not reachable" in capsys.readouterr().err


@pytest.mark.django_db
def test_fixture_is_a_participant_as_most_are_in_a_group_and_not_its_coordinator():
    """The floor renders no member list, so the measured page must not be a coordinator's."""
    from bench.run import prepare_fixture
    from demo.data import load_demo
    from participants.models import Participant

    program, _ = load_demo(scale=1)

    fixture = prepare_fixture(1)
    participant = Participant.objects.select_related("group").get(pk=fixture.participant_id)

    assert participant.program == program
    assert participant.group is not None
    assert participant.group.coordinator_id != participant.pk
    assert not participant.coordinated_groups.exists()
    assert fixture.token == participant.access_token


def test_board_writes_judge_the_shift_at_scale_ten_and_the_drag_save_growth():
    from bench import board

    timing = {"median_ms": 80.0, "p90_ms": 90.0, "queries": 23, "visits_moved": 17, "max_ms": 95.0}
    fast = board.evaluate(
        {
            "shift": {"1": timing, "10": {**timing, "max_ms": 990.0, "visits_moved": 170}},
            "drag_save": {"1": {**timing, "median_ms": 80.0}, "10": {**timing, "median_ms": 100.0}},
        }
    )
    slow = board.evaluate(
        {
            "shift": {"1": timing, "10": {**timing, "max_ms": 1010.0}},
            "drag_save": {"1": {**timing, "median_ms": 50.0}, "10": {**timing, "median_ms": 100.0}},
        }
    )

    assert fast["shift_target"]["met"] is True
    assert fast["drag_save_target"]["met"] is True
    assert slow["shift_target"]["met"] is False
    assert slow["drag_save_target"]["met"] is False
    table = "\n".join(board.format_lines(fast))
    assert "shift a busy day (170 visits) | ×10" in table
    assert "every shift ≤ 1 s met" in table
    assert "×10 / ×1 1.25 ≤ 1.5 met" in table

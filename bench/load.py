"""Drive one URL with `wrk` for a fixed time and read back its numbers.

wrk (Debian's package) is a C load generator: on a two-core machine it takes
far less CPU away from the server than a Python client would, so the figures
are the server's. A Lua `done` hook prints the summary as one JSON line, which
is parsed here instead of wrk's human-readable text.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

MARKER = "BENCH-RESULT "

# wrk calls done() once, after the run; latencies are in microseconds.
DONE_HOOK = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "bytes": %d, '
    .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
    .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d}\\n',
    "__MARKER__", summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
"""


class LoadError(RuntimeError):
    """wrk could not run or its output made no sense."""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    errors: int  # connection errors, timeouts and non-2xx/3xx answers
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    bytes: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "rps": round(self.rps, 1)}


def parse_wrk_output(text: str) -> LoadResult:
    """The LoadResult in wrk's output (the line our `done` hook printed)."""
    for line in text.splitlines():
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER) :])
            break
    else:
        raise LoadError(f"wrk printed no result line; its output was:\n{text[-2000:]}")
    errors = sum(data["errors"].values())
    return LoadResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=errors,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        mean_ms=data["mean_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        bytes=data["bytes"],
    )


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    url: str,
    *,
    seconds: float,
    connections: int,
    headers: dict[str, str] | None = None,
    threads: int = 1,
    timeout_s: int = 10,
) -> LoadResult:
    """Load `url` with `connections` concurrent connections for `seconds`; bounded by a hard timeout."""
    if not url.startswith("http://127.0.0.1:"):
        raise LoadError(f"only 127.0.0.1 is benchmarked, not {url}")
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        script = Path(tmp) / "done.lua"
        script.write_text(DONE_HOOK.replace("__MARKER__", MARKER))
        command = [
            "wrk",
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={max(1, round(seconds))}s",
            f"--timeout={timeout_s}s",
            f"--script={script}",
        ]
        for name, value in (headers or {}).items():
            command += ["--header", f"{name}: {value}"]
        command.append(url)
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv, URL checked above
                command, capture_output=True, text=True, timeout=seconds + timeout_s + 30, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise LoadError(f"wrk did not stop on time for {url}") from exc
    if done.returncode != 0:
        raise LoadError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    return parse_wrk_output(done.stdout)

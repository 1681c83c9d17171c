"""The benchmark harness (`make bench`, `python -m bench.run`).

It builds the demo program at scale 1 and 10 in a fresh PostgreSQL database,
serves the portal under gunicorn with production settings, drives every hot
path over HTTP with `wrk` next to a "floor" view (`bench.floor`) that answers
the same question with one hand-written SQL query, and reports throughput,
latency, the ratio to the floor and SQL queries per request. See
docs/benchmarks.md.
"""

"""A loopback SMTP sink for the send-out benchmark: accepts every message, keeps only a count.

    python -m bench.smtp_sink --port 8025

Prints `received N` when stopped (SIGTERM/SIGINT). Binds 127.0.0.1 only.
"""

import argparse
import signal
import threading

from aiosmtpd.controller import Controller


class CountingSink:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            self.count += 1
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    sink = CountingSink()
    controller = Controller(sink, hostname="127.0.0.1", port=args.port)
    controller.start()
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    print("ready", flush=True)
    stopped.wait()
    controller.stop()
    print(f"received {sink.count}", flush=True)


if __name__ == "__main__":
    main()

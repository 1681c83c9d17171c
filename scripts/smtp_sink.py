"""A loopback SMTP server that stores every message it receives as a file.

    python scripts/smtp_sink.py --port 8025 --dir /tmp/mails

Each message lands as `<n>.eml` in the directory (the envelope recipients in
an `X-Envelope-To` header), so a test or the production smoke can read
exactly what the portal sent. Only binds 127.0.0.1.
"""

import argparse
import itertools
import signal
import threading
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller


class FileSink:
    def __init__(self, directory: Path):
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.counter = itertools.count(len(list(directory.glob("*.eml"))) + 1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self.lock:
            path = self.directory / f"{next(self.counter):06d}.eml"
        path.write_bytes(message.as_bytes())
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args()
    controller = Controller(FileSink(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"smtp sink on 127.0.0.1:{args.port} writing to {args.dir}", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()

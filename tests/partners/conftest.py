"""A real HTTP receiver on 127.0.0.1 for webhook tests: records every request, answers as told
(a status code, or a redirect to `redirect_to`)."""

import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []
        self.answers: deque[int] = deque()
        self.redirect_to: str | None = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks/portal"

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                )
                if receiver.redirect_to:
                    self.send_response(302)
                    self.send_header("Location", receiver.redirect_to)
                else:
                    self.send_response(receiver.answers.popleft() if receiver.answers else 200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_PUT = do_POST

            def log_message(self, *args):
                pass

        return Handler


def _serve():
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def receiver():
    yield from _serve()


@pytest.fixture
def internal_service():
    """A second server on loopback standing for something inside the portal's network."""
    yield from _serve()


@pytest.fixture
def make_api():
    from partners.services import api_client_create
    from tests.api.conftest import client_with_token

    def make(scopes=("read", "write"), programs=(), name="Ministry HR system"):
        partner, token = api_client_create(name=name, scopes=scopes, programs=programs)
        api = client_with_token(token)
        api.partner = partner
        api.token = token
        return api

    return make

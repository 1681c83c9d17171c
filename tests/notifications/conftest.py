import pytest

from notifications.registry import RenderedMessage, register_renderer

TEST_KIND = "tests.hello"


def _render_hello(payload: dict, language: str) -> RenderedMessage:
    greeting = {"ru": "Здравствуйте", "en": "Hello"}.get(language, "Hello")
    return RenderedMessage(subject=f"{greeting}, {payload['name']}", text=f"{greeting}!\n", html=f"<p>{greeting}!</p>")


register_renderer(TEST_KIND, _render_hello)


@pytest.fixture
def hello():
    """Build an OutgoingMessage of the test kind."""
    from notifications.services import OutgoingMessage

    def build(n: int, **extra):
        return OutgoingMessage(
            kind=TEST_KIND,
            recipient_email=f"person{n}@example.org",
            recipient_name=f"Person {n}",
            payload={"name": f"Person {n}"},
            idempotency_key=f"hello:{n}",
            **extra,
        )

    return build

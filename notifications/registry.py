"""Renderers: how each kind of notification becomes an e-mail.

`notifications` imports no domain app. Each app registers, in its
`AppConfig.ready()`, a function that turns a row's payload into a message;
the outbox calls it at send time.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)


class PermanentFailure(Exception):
    """Raised by a renderer when the message can never be built (its subject is gone):
    the row fails at once instead of retrying."""


Renderer = Callable[[dict, str], RenderedMessage]
_renderers: dict[str, Renderer] = {}
_names: dict[str, Any] = {}


def register_renderer(kind: str, renderer: Renderer, *, name: Any = None) -> None:
    """Register `renderer(payload, language) -> RenderedMessage` for a kind, and the name people
    read for its send-outs (a lazy translation, e.g. "Schedules")."""
    _renderers[kind] = renderer
    if name is not None:
        _names[kind] = name


def kind_name(kind: str) -> str:
    """What a kind of message is called on the organiser's pages (in the active language);
    the kind itself when its app gave no name."""
    return str(_names.get(kind, kind))


def render(kind: str, payload: dict, language: str) -> RenderedMessage:
    try:
        renderer = _renderers[kind]
    except KeyError:
        raise PermanentFailure(f"no renderer registered for kind {kind!r}") from None
    return renderer(payload, language)

"""What the benchmark measures: one declarative entry per hot path.

An entry names the real URL, the floor URL that answers the same question
(bench.floor), how to authenticate, and the target ratio of issue 6. A path
whose route is not in the URLconf yet is reported as "not available" instead
of failing the run, so the harness measures whatever exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Fixture:
    """The data one scale's requests need, read from the bench database."""

    scale: int
    slug: str
    participant_id: int
    token: str  # the participant's personal token
    day: date  # a busy day of the program (lectures and two visits per group)
    free_day: date  # a day without visits, where the create-visit run books its slots
    group_id: int  # the group whose slots the create-visit run books
    group_count: int
    api_token: str = ""  # read+write API client, when the API exists
    session_key: str = ""  # an organiser's session, for organiser pages

    def as_dict(self) -> dict:
        return {
            "scale": self.scale,
            "program": self.slug,
            "participant_id": self.participant_id,
            "day": self.day.isoformat(),
            "group_count": self.group_count,
        }


# How a request proves who it is.
AUTH_NONE = "none"  # the personal token is in the URL
AUTH_API = "api"  # Authorization: Bearer <token>
AUTH_SESSION = "session"  # an organiser's session cookie


@dataclass(frozen=True)
class BenchPath:
    key: str
    label: str
    url: Callable[[Fixture], str]
    auth: str
    min_ratio: float  # of the floor's throughput, at scale 10
    # Floor URLs by how they build the answer; when several are given, the
    # fastest one is the floor.
    floors: dict[str, Callable[[Fixture], str]] = field(default_factory=dict)


def _itinerary_api(f: Fixture) -> str:
    return f"/api/v1/programs/{f.slug}/participants/{f.participant_id}/itinerary/"


def _visits_api(f: Fixture) -> str:
    return f"/api/v1/programs/{f.slug}/visits/?date={f.day.isoformat()}&page_size=100"


PATHS: list[BenchPath] = [
    BenchPath(
        key="itinerary_json",
        label="itinerary JSON (API)",
        url=_itinerary_api,
        auth=AUTH_API,
        min_ratio=0.5,
        floors={
            "pg-json": lambda f: f"/bench-floor/api/{f.slug}/participants/{f.participant_id}/itinerary/",
        },
    ),
    BenchPath(
        key="itinerary_ics",
        label="itinerary .ics",
        url=lambda f: f"/i/{f.token}.ics",
        auth=AUTH_NONE,
        min_ratio=0.5,
        floors={"sql+str": lambda f: f"/bench-floor/i/{f.token}.ics"},
    ),
    BenchPath(
        key="personal_page",
        label="personal page /i/<token>/",
        url=lambda f: f"/i/{f.token}/",
        auth=AUTH_NONE,
        min_ratio=0.35,
        floors={"sql+str": lambda f: f"/bench-floor/i/{f.token}/"},
    ),
    BenchPath(
        key="visits_list",
        label="visits list (API, 100, by date)",
        url=_visits_api,
        auth=AUTH_API,
        min_ratio=0.35,
        floors={
            "pg-json": lambda f: f"/bench-floor/api/{f.slug}/visits/?date={f.day.isoformat()}&page_size=100",
        },
    ),
    BenchPath(
        key="board_day",
        label="schedule board, one day",
        url=lambda f: f"/organiser/programs/{f.slug}/board/?day={f.day.isoformat()}",
        auth=AUTH_SESSION,
        min_ratio=0.2,
        floors={"sql+str": lambda f: f"/bench-floor/board/{f.slug}/{f.day.isoformat()}/"},
    ),
]

CREATE_VISIT_MAX_GROWTH = 1.2  # time at scale 10 over time at scale 1
SENDOUT_MAX_RATIO = 1.5  # send-out through Celery over the plain render loop
WORKER_MEMORY_MAX_GROWTH = 1.2  # peak worker RSS, 10× the e-mails over 1×


def headers_for(path_auth: str, fixture: Fixture, *, session_cookie: str = "sessionid") -> dict[str, str]:
    if path_auth == AUTH_API:
        return {"Authorization": f"Bearer {fixture.api_token}"} if fixture.api_token else {}
    if path_auth == AUTH_SESSION:
        return {"Cookie": f"{session_cookie}={fixture.session_key}"} if fixture.session_key else {}
    return {}

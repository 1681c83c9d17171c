"""schemathesis over every operation of /api/schema/, with a write token, in-process (WSGI).

Every phase runs: examples, coverage and fuzzing per operation, then the stateful
phase (sequences of calls following the links schemathesis infers, e.g. create a
program, then read and change it). All under the real throttle (API_THROTTLE_RATE,
not lifted for the tests); a client that goes too fast gets the documented 429 with
Retry-After, which the last test provokes and checks against the schema.

Fails on any server error, any response that violates the schema, any status code
or content type the schema does not document. Examples are kept few per operation
(and scenarios short) so that the whole file runs in a few minutes on two cores.
"""

from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from partners.services import api_client_create
from programs.models import Program
from tests.factories import HostContactFactory, ParticipantFactory, ProgramFactory, ProjectGroupFactory, local
from visits.services import visit_create

CHECKS = [
    not_a_server_error,
    negative_data_rejection,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
MAX_EXAMPLES = 10
SCENARIOS = 15
STEPS_PER_SCENARIO = 8


@pytest.fixture
def seeded(db):
    """A small program with every kind of object, so that generated ids and slugs can hit real rows."""
    program = ProgramFactory(slug="astana")
    program.topics.create(name="Digital transformation", slug="digital")
    group = ProjectGroupFactory(program=program)
    participant = ParticipantFactory(program=program, group=group)
    host = HostContactFactory().host
    visit_create(
        program=program,
        groups=[group],
        host=host,
        title="Astana Hub",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 12),
    )
    _client, token = api_client_create(name="schemathesis", scopes=["read", "write"])
    return {"token": token, "participant": participant.pk, "program": program, "group": group.pk, "host": host.pk}


# Loaded at collection through the WSGI app, as a client would (pytest 9 breaks
# schemathesis' lazy `from_fixture` loader). The app is built speaking plain HTTP,
# like the other test servers (tests/conftest.py), before that fixture exists.
with override_settings(SECURE_SSL_REDIRECT=False):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The real WSGI handler closes the database connection after each request, which
    would end the test's transaction on PostgreSQL; Django's test client avoids it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def aim_at_seeded_rows(case, participant: int) -> None:
    """Point most cases at the seeded program and participant, so that they get past the 404s."""
    path = case.path_parameters or {}
    if "program_slug" in path:
        current = Program.objects.order_by("pk").values_list("slug", flat=True).first()
        if current is not None:
            path["program_slug"] = current
    if "id" in path and "/participants/" in case.path and hash(repr(case.query)) % 2:
        path["id"] = participant


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_conforms_to_the_schema(case, seeded):
    aim_at_seeded_rows(case, seeded["participant"])
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded['token']}"}, checks=CHECKS)


# --- valid by the schema is accepted --------------------------------------------------------
# The schema states each field's own constraints; the rules between fields and rows are in
# its descriptions (dates in order, times within the program, ids of this program's rows).
# `keep_documented_rules` applies those to a generated body; the check then demands a 2xx
# (or 409, a double booking) for it, as a partner following the document would get.

_serial = count()


def _date(text: str) -> date:
    return date.fromisoformat(text)


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def keep_documented_rules(case, seeded) -> None:
    body, program = case.body, seeded["program"]
    if not isinstance(body, dict):
        return
    if case.path == "/api/v1/programs/":
        body["slug"] = f"{body['slug'][:60]}-{next(_serial)}"
        start, end = sorted((_date(body["start_date"]), _date(body["end_date"])))
        end = min(start + timedelta(days=(end - start).days % 366), date(2100, 12, 31))
        body["start_date"], body["end_date"] = start.isoformat(), end.isoformat()
        return
    window_start, window_end = program.starts_at(), program.ends_before()
    if case.path.endswith("/visits/"):
        starts, ends = _moment(body["starts_at"]), _moment(body["ends_at"])
        if not (starts and ends and window_start <= starts < ends <= window_end):
            body["starts_at"], body["ends_at"] = (
                window_start.isoformat(),
                (window_start + timedelta(hours=1)).isoformat(),
            )
        body["groups"] = [seeded["group"]] if body.get("groups") else []
        if body.get("host") is not None:
            body["host"] = seeded["host"]
        if body.get("capacity") is not None:
            body["capacity"] = max(body["capacity"], len(body["groups"]))
    elif case.path.endswith("/surveys/"):
        opens, closes = _moment(body["opens_at"]), _moment(body["closes_at"])
        earliest = window_start - timedelta(days=366)
        if not (opens and closes and earliest <= opens < closes < datetime(9999, 1, 1, tzinfo=UTC)):
            body["opens_at"], body["closes_at"] = window_start.isoformat(), window_end.isoformat()
        body["visit"] = None
        body.pop("send_after_hours", None)
        for question in body.get("questions", []):
            if question.get("kind") in ("choice", "multiple"):
                question["choices"] = [f"Choice {n}" for n in range(2)]


@schema.include(method="POST", path_regex=r"^/api/v1/programs/(\{program_slug\}/(visits|surveys)/)?$").parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_bodies_valid_by_the_schema_are_accepted(case, seeded):
    if not case.meta.generation.mode.is_positive:
        return  # invalid bodies are the other test's
    aim_at_seeded_rows(case, seeded["participant"])
    keep_documented_rules(case, seeded)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {seeded['token']}"}, checks=[*CHECKS, positive_data_acceptance]
    )


class _Workflow(schema.as_state_machine()):
    """The stateful phase: each scenario chains calls through the inferred links, with the token of `seeded`."""

    token = ""
    participant = 0

    def setup(self):
        # Each scenario starts from the seeded rows: hypothesis replays a scenario to shrink it
        # and needs the same answers again, so what one scenario writes is rolled back.
        self._scenario = transaction.atomic()
        self._scenario.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self._scenario.__exit__(None, None, None)

    def before_call(self, case):
        aim_at_seeded_rows(case, self.participant)

    def get_call_kwargs(self, case):
        return {"headers": {"Authorization": f"Bearer {self.token}"}}

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        # The workflow sends every call with the seeded token and aims ids at the seeded rows, which
        # overwrites what a negative case mutated (the Authorization header, a path id): such a
        # case is valid by the time it is sent, so its acceptance is no finding. Refusing invalid
        # data is checked per operation by test_every_operation_conforms_to_the_schema.
        case.validate_response(response, checks=[check for check in CHECKS if check is not negative_data_rejection])


def test_stateful_sequences_conform_to_the_schema(seeded):
    _Workflow.token, _Workflow.participant = seeded["token"], seeded["participant"]

    run_state_machine_as_test(
        _Workflow,
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS_PER_SCENARIO,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        ),
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/programs/"),
        ("GET", "/api/v1/hosts/"),
        ("POST", "/api/v1/programs/{program_slug}/notify-changes/"),
    ],
)
def test_throttled_answers_conform_to_the_schema(seeded, method, path):
    operation = schema[path][method]
    case = operation.Case(path_parameters={"program_slug": "astana"} if "{program_slug}" in path else None)
    headers = {"Authorization": f"Bearer {seeded['token']}"}

    with override_settings(API_THROTTLE_RATE="1/minute"):
        first = case.call_and_validate(headers=headers, checks=CHECKS)
        throttled = case.call_and_validate(headers=headers, checks=CHECKS)

    assert first.status_code in {200, 202}
    assert throttled.status_code == 429
    assert 0 < int(dict(throttled.headers)["retry-after"][0]) <= 60

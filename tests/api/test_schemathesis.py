"""schemathesis over every operation of /api/schema/, with a write token, in-process (WSGI).

Fails on any server error, any response that violates the schema, any status code
or content type the schema does not document. Examples are kept few per operation
so that the whole suite stays quick on two cores.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
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
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
MAX_EXAMPLES = 10


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
    return {"token": token, "participant": participant.pk}


# Loaded at collection through the WSGI app, as a client would (pytest 9 breaks
# schemathesis' lazy `from_fixture` loader). The app is built speaking plain HTTP,
# like the other test servers (tests/conftest.py), before that fixture exists.
with override_settings(SECURE_SSL_REDIRECT=False):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _no_throttling_and_keep_the_test_connection():
    """The real WSGI handler closes the database connection after each request, which
    would end the test's transaction on PostgreSQL; Django's test client avoids it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with override_settings(API_THROTTLE_RATE="100000/minute"):
            yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_conforms_to_the_schema(case, seeded):
    # Point most cases at the seeded program and participant, so that they get past the 404s.
    path = case.path_parameters or {}
    if "program_slug" in path:
        current = Program.objects.order_by("pk").values_list("slug", flat=True).first()
        if current is not None:
            path["program_slug"] = current
    if "id" in path and "/participants/" in case.path and hash(repr(case.query)) % 2:
        path["id"] = seeded["participant"]
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded['token']}"}, checks=CHECKS)

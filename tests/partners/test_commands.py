"""`create_api_client` issues a working token (last line); `dispatch_webhooks` reports what it sent."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from partners.models import ApiClient
from tests.api.conftest import client_with_token
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def run(*args) -> list[str]:
    out = StringIO()
    call_command("create_api_client", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_create_api_client_prints_a_working_token_as_the_last_line():
    program = ProgramFactory()

    lines = run("Ministry HR system", "--scopes", "read,write")

    token = lines[-1]
    client = ApiClient.objects.get(name="Ministry HR system")
    assert client.scopes == ["read", "write"]
    assert token.startswith(client.token_prefix)
    assert token not in client.token_hash
    response = client_with_token(token).get("/api/v1/programs/")
    assert [row["slug"] for row in response.json()["results"]] == [program.slug]


def test_create_api_client_limited_to_programs():
    mine, other = ProgramFactory(slug="mine"), ProgramFactory(slug="other")
    ProgramFactory(slug="third")

    token = run("LMS", "--scopes", "read", "--program", "mine", "--program", "other")[-1]

    api = client_with_token(token)
    assert sorted(row["slug"] for row in api.get("/api/v1/programs/").json()["results"]) == ["mine", "other"]
    assert api.get("/api/v1/programs/third/").status_code == 404
    assert api.post(f"/api/v1/programs/{mine.slug}/groups/", {"name": "G"}, format="json").status_code == 403
    assert set(ApiClient.objects.get(name="LMS").programs.all()) == {mine, other}


def test_create_api_client_refuses_unknown_programs_and_scopes():
    with pytest.raises(CommandError, match="nope"):
        run("X", "--program", "nope")
    with pytest.raises(CommandError, match="read, write"):
        run("X", "--scopes", "admin")
    assert not ApiClient.objects.exists()


def test_dispatch_webhooks_with_nothing_due():
    out = StringIO()
    call_command("dispatch_webhooks", stdout=out)
    assert "nothing due" in out.getvalue()

"""Who may call the API: tokens, scopes, program limits, revocation, sessions, throttling."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import override_settings
from rest_framework.test import APIClient

from partners.models import ApiClient
from partners.services import api_client_revoke
from programs.models import Program
from programs.selectors import ORGANISERS_GROUP
from tests.factories import ProgramFactory

from .conftest import client_with_token

pytestmark = pytest.mark.django_db

PROGRAM_BODY = {
    "slug": "new-program",
    "title": "Digital government study tour",
    "host_institution": "Academy of Public Administration",
    "city": "Astana",
    "timezone": "Asia/Almaty",
    "start_date": "2027-03-01",
    "end_date": "2027-03-05",
}


def test_no_token_answers_401_with_json_detail(program):
    response = APIClient().get("/api/v1/programs/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_answers_401(program):
    response = client_with_token("not-a-real-token").get("/api/v1/programs/")

    assert response.status_code == 401
    assert response.json()["detail"] == "Unknown or revoked token."


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_bearer_and_token_prefixes_both_work(program, api, keyword):
    response = client_with_token(api.token, keyword).get("/api/v1/programs/")

    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == [program.slug]


def test_token_is_stored_hashed_with_a_visible_prefix(api):
    stored = ApiClient.objects.get(pk=api.partner.pk)

    assert api.token not in (stored.token_hash, stored.token_prefix)
    assert len(stored.token_hash) == 64
    assert api.token.startswith(stored.token_prefix)
    assert len(stored.token_prefix) == 8


def test_read_token_can_read_but_post_answers_403_and_writes_nothing(program, read_api):
    assert read_api.get(f"/api/v1/programs/{program.slug}/").status_code == 200

    response = read_api.post("/api/v1/programs/", PROGRAM_BODY, format="json")

    assert response.status_code == 403
    assert "read scope only" in response.json()["detail"]
    assert response.json().keys() == {"detail"}
    assert not Program.objects.filter(slug="new-program").exists()


def test_read_token_patch_and_delete_answer_403(program, read_api):
    assert read_api.patch(f"/api/v1/programs/{program.slug}/", {"title": "X"}, format="json").status_code == 403
    assert read_api.delete(f"/api/v1/programs/{program.slug}/visits/1/").status_code == 403
    program.refresh_from_db()
    assert program.title != "X"


def test_program_limited_token_sees_only_its_programs_and_404_for_others(make_api):
    mine = ProgramFactory(slug="mine")
    other = ProgramFactory(slug="other")
    limited = make_api(programs=[mine])

    listed = limited.get("/api/v1/programs/").json()
    assert [row["slug"] for row in listed["results"]] == ["mine"]
    assert limited.get("/api/v1/programs/mine/groups/").status_code == 200
    for path in ("", "groups/", "participants/", "visits/"):
        response = limited.get(f"/api/v1/programs/{other.slug}/{path}")
        assert response.status_code == 404, path
        assert "detail" in response.json()
    response = limited.post(f"/api/v1/programs/{other.slug}/groups/", {"name": "Intruders"}, format="json")
    assert response.status_code == 404
    assert not other.groups.exists()


def test_program_limited_token_cannot_create_programs(make_api):
    limited = make_api(programs=[ProgramFactory()])

    response = limited.post("/api/v1/programs/", PROGRAM_BODY, format="json")

    assert response.status_code == 403
    assert "limited" in response.json()["detail"]


def test_revoked_client_answers_401_at_once(program, api):
    assert api.get("/api/v1/programs/").status_code == 200

    api_client_revoke(client=api.partner)

    response = api.get("/api/v1/programs/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Unknown or revoked token."


def test_revoking_in_the_admin_stops_the_token(program, api, client):
    admin_user = get_user_model().objects.create_superuser("root", "root@academy.example", "pw-for-tests-only")
    client.force_login(admin_user)

    response = client.post(
        "/admin/partners/apiclient/",
        {"action": "revoke", "_selected_action": [api.partner.pk]},
    )

    assert response.status_code == 302
    assert api.get("/api/v1/programs/").status_code == 401
    assert ApiClient.objects.get(pk=api.partner.pk).revoked_at is not None


def test_unticking_active_in_the_admin_change_form_revokes(program, api, client):
    admin_user = get_user_model().objects.create_superuser("root", "root@academy.example", "pw-for-tests-only")
    client.force_login(admin_user)

    response = client.post(
        f"/admin/partners/apiclient/{api.partner.pk}/change/",
        {"name": api.partner.name, "scopes": '["read", "write"]', "programs": []},
    )

    assert response.status_code == 302, response.content[:500]
    assert api.get("/api/v1/programs/").status_code == 401


def test_organiser_session_sees_only_programs_they_organise(client):
    user = get_user_model().objects.create_user("organiser", password="pw-for-tests-only")
    user.groups.add(Group.objects.create(name=ORGANISERS_GROUP))
    theirs = ProgramFactory(slug="theirs")
    theirs.organisers.add(user)
    ProgramFactory(slug="someone-elses")
    client.force_login(user)

    listed = client.get("/api/v1/programs/")

    assert listed.status_code == 200
    assert [row["slug"] for row in listed.json()["results"]] == ["theirs"]
    assert client.get("/api/v1/programs/someone-elses/visits/").status_code == 404


def test_session_of_a_non_organiser_answers_403(client, program):
    user = get_user_model().objects.create_user("participant", password="pw-for-tests-only")
    client.force_login(user)

    assert client.get("/api/v1/programs/").status_code == 403


@override_settings(API_THROTTLE_RATE="3/minute")
def test_throttling_is_per_client_with_429_and_retry_after(program, make_api):
    fast = make_api(name="Fast")
    calm = make_api(name="Calm")

    codes = [fast.get("/api/v1/programs/").status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
    throttled = fast.get("/api/v1/programs/")
    assert int(throttled["Retry-After"]) > 0
    assert "throttled" in throttled.json()["detail"].lower()
    assert calm.get("/api/v1/programs/").status_code == 200


def test_webhooks_are_refused_to_browser_sessions(client):
    user = get_user_model().objects.create_superuser("root", "root@academy.example", "pw-for-tests-only")
    client.force_login(user)

    response = client.get("/api/v1/webhooks/")

    assert response.status_code == 403
    assert "API clients" in response.json()["detail"]


def test_organiser_session_creates_a_program_they_then_organise():
    user = get_user_model().objects.create_user("organiser", password="pw-for-tests-only")
    user.groups.add(Group.objects.create(name=ORGANISERS_GROUP))
    session = APIClient()
    session.force_login(user)

    response = session.post("/api/v1/programs/", PROGRAM_BODY, format="json")

    assert response.status_code == 201
    assert response.json()["slug"] == "new-program"
    assert list(Program.objects.get(slug="new-program").organisers.all()) == [user]
    assert session.get("/api/v1/programs/new-program/").status_code == 200

"""Hosts in the loop through the API: request-confirmation, host_status (read-only, filterable),
required_visitor_fields on hosts."""

import pytest

from hosting.services import host_answer
from partners.services import api_client_create
from tests.api.conftest import client_with_token
from visits.services import contact_update

from .conftest import mails_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    _client, token = api_client_create(name="LMS", scopes=["read", "write"])
    return client_with_token(token)


def test_request_confirmation_answers_202_and_the_contact_gets_one_email(
    api, scene, django_capture_on_commit_callbacks, celery_eager
):
    url = f"/api/v1/programs/{scene.program.slug}/visits/{scene.hub_visit.pk}/request-confirmation/"

    with django_capture_on_commit_callbacks(execute=True):
        first = api.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        second = api.post(url)

    assert first.status_code == 202
    assert first.json() == {"queued": 1, "host_status": "requested"}
    assert second.json() == {"queued": 0, "host_status": "requested"}
    assert len(mails_to("dana@hub.example")) == 1
    visit = api.get(f"/api/v1/programs/{scene.program.slug}/visits/{scene.hub_visit.pk}/").json()
    assert visit["host_status"] == "requested"
    assert visit["host_requested_at"].endswith("+05:00")


def test_request_confirmation_without_a_contact_email_is_400_naming_the_host(api, scene):
    contact_update(contact=scene.hub_contact, email="")

    response = api.post(f"/api/v1/programs/{scene.program.slug}/visits/{scene.hub_visit.pk}/request-confirmation/")

    assert response.status_code == 400
    assert "host" in response.json()["errors"]


def test_request_confirmation_of_another_programs_visit_is_404(api, scene):
    from tests.factories import ProgramFactory

    other = ProgramFactory()

    response = api.post(f"/api/v1/programs/{other.slug}/visits/{scene.hub_visit.pk}/request-confirmation/")

    assert response.status_code == 404


def test_host_status_is_filterable_and_read_only(api, scene):
    host_answer(contact=scene.hub_contact, visit=scene.hub_visit, answer="confirmed")
    base = f"/api/v1/programs/{scene.program.slug}/visits/"

    confirmed = api.get(base, {"host_status": "confirmed"}).json()["results"]
    never = api.get(base, {"host_status": "none"}).json()["results"]
    unknown = api.get(base, {"host_status": "maybe"})
    patched = api.patch(f"{base}{scene.ministry_visit.pk}/", {"host_status": "confirmed"}, format="json")

    assert [visit["id"] for visit in confirmed] == [scene.hub_visit.pk]
    assert [visit["id"] for visit in never] == [scene.ministry_visit.pk]
    assert unknown.status_code == 400
    assert patched.status_code == 400
    scene.ministry_visit.refresh_from_db()
    assert scene.ministry_visit.host_status == ""


def test_hosts_state_their_required_visitor_fields_from_the_fixed_set(api, scene):
    url = f"/api/v1/hosts/{scene.hub.pk}/"

    changed = api.patch(url, {"required_visitor_fields": ["date_of_birth", "passport_name"]}, format="json")
    refused = api.patch(url, {"required_visitor_fields": ["blood_type"]}, format="json")

    assert changed.status_code == 200
    assert changed.json()["required_visitor_fields"] == ["passport_name", "date_of_birth"]
    assert refused.status_code == 400
    assert "required_visitor_fields" in refused.json()["errors"]


def test_contacts_carry_their_language(api, scene):
    response = api.patch(
        f"/api/v1/hosts/{scene.hub.pk}/",
        {"contacts": [{"name": "Dana", "email": "dana@hub.example", "language": "kk"}]},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["contacts"][0]["language"] == "kk"


def test_replacing_a_hosts_contacts_keeps_the_links_of_those_who_stay(api, scene):
    old = scene.hub_contact.access_token

    api.patch(
        f"/api/v1/hosts/{scene.hub.pk}/",
        {"contacts": [{"name": "Dana Hub", "email": "DANA@hub.example"}, {"name": "New", "email": "new@hub.example"}]},
        format="json",
    )

    tokens = dict(scene.hub.contacts.values_list("name", "access_token"))
    assert tokens["Dana Hub"] == old
    assert tokens["New"] != old

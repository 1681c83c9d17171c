"""Programs in the admin, written through programs.services; partner apps for superusers only."""

import pytest

from partners.models import ApiClient
from programs.models import Program
from programs.selectors import programs_for_organiser

from .pages import form_values

pytestmark = pytest.mark.django_db


def test_admin_program_end_date_before_a_visit_is_refused_naming_it(side_a, organiser_client):
    url = f"/admin/programs/program/{side_a.program.pk}/change/"
    data = form_values(organiser_client.get(url), start_date="2026-12-08")

    response = organiser_client.post(url, data)

    assert response.status_code == 200
    assert "Visit of A" in response.context["adminform"].form.errors["start_date"][0]
    assert str(Program.objects.get(pk=side_a.program.pk).start_date) == "2026-12-07"


def test_admin_program_change_names_the_organiser_and_keeps_the_organisers(side_a, organiser_a, organiser_client):
    url = f"/admin/programs/program/{side_a.program.pk}/change/"
    page = organiser_client.get(url)

    response = organiser_client.post(url, form_values(page, title="Human capital 2026"))

    assert "organisers" not in page.context["adminform"].form.fields
    assert response.status_code == 302
    program = Program.objects.get(pk=side_a.program.pk)
    assert program.title == "Human capital 2026"
    assert list(program.organisers.all()) == [organiser_a]
    assert program.history.first().history_actor == "user org-a"


def test_admin_program_added_by_an_organiser_is_theirs(organiser_a, organiser_client):
    url = "/admin/programs/program/add/"
    data = form_values(
        organiser_client.get(url),
        slug="digital-state-2027",
        title="Digital state 2027",
        host_institution="Academy of Public Administration",
        city="Astana",
        timezone="Asia/Almaty",
        start_date="2027-03-01",
        end_date="2027-03-10",
        status="draft",
    )

    response = organiser_client.post(url, data)

    assert response.status_code == 302
    assert programs_for_organiser(user=organiser_a).filter(slug="digital-state-2027").exists()


def test_admin_programs_are_deleted_by_superusers_only(side_a, organiser_client, superuser_client):
    url = f"/admin/programs/program/{side_a.program.pk}/delete/"

    refused = organiser_client.post(url, {"post": "yes"})
    deleted = superuser_client.post(url, {"post": "yes"})

    assert (refused.status_code, deleted.status_code) == (403, 302)
    assert not Program.objects.filter(pk=side_a.program.pk).exists()


def test_admin_api_client_added_by_superuser_shows_its_token_once(superuser_client, organiser_client, side_a):
    url = "/admin/partners/apiclient/add/"
    data = form_values(
        superuser_client.get(url), name="Travel agent", scopes='["read"]', programs=[str(side_a.program.pk)]
    )

    response = superuser_client.post(url, data, follow=True)

    client = ApiClient.objects.get(name="Travel agent")
    shown = [str(message) for message in response.context["messages"]]
    assert any(client.token_prefix in message for message in shown)
    assert list(client.programs.all()) == [side_a.program]
    assert organiser_client.get(url).status_code == 403


def test_admin_api_client_untick_active_revokes(superuser_client):
    from partners.services import api_client_create

    client, _token = api_client_create(name="Old partner", scopes=["read"])
    url = f"/admin/partners/apiclient/{client.pk}/change/"
    data = form_values(superuser_client.get(url))
    data.pop("is_active")

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    client.refresh_from_db()
    assert not client.is_active
    assert client.revoked_at is not None

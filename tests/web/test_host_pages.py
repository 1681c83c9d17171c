"""Hosts in the organiser pages: add and edit host organisations and their contacts (through
visits.services), with the visits each receives in this program."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import HostContactFactory, HostOrganisationFactory, ProgramFactory, ProjectGroupFactory, local
from visits.models import HostContact, HostOrganisation
from visits.services import visit_create

from .conftest import url

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)

HOST_DATA = {
    "name": "Astana Hub",
    "kind": "tech_hub",
    "address": "55/8 Mangilik El Ave",
    "city": "Astana",
    "website": "https://astanahub.com",
    "latitude": "51.089",
    "longitude": "71.416",
    "visitor_requirements": "Passport at the gate.",
    "visitor_list_days_ahead": "2",
}


def test_add_a_host_from_the_organiser_pages(client, program):
    assert "Add host organisation" in client.get(url(program, "hosts/")).content.decode()

    response = client.post(url(program, "hosts/new/"), HOST_DATA, follow=True)

    host = HostOrganisation.objects.get(name="Astana Hub")
    assert (host.kind, host.city, host.visitor_list_days_ahead, str(host.latitude)) == (
        "tech_hub",
        "Astana",
        2,
        "51.089000",
    )
    assert response.redirect_chain[-1][0] == url(program, f"hosts/#host-{host.pk}")
    assert "Astana Hub saved." in response.content.decode()
    assert host.history.count() == 1  # written through the service, audited


def test_host_form_shows_validation_errors_and_writes_nothing(client, program):
    HostOrganisationFactory(name="Astana Hub")

    response = client.post(
        url(program, "hosts/new/"),
        {**HOST_DATA, "latitude": "123", "website": "not a url", "visitor_list_days_ahead": "-1"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "A host organisation with this name already exists." in body
    assert "Ensure this value is less than or equal to 90" in body
    assert "Enter a valid URL." in body
    assert "Ensure this value is greater than or equal to 0." in body
    assert "Constraint" not in body
    assert HostOrganisation.objects.count() == 1


def test_edit_a_host_reaches_its_upcoming_visits(client, program, group, host, settings):
    visit = visit_create(
        program=program, groups=[group], host=host, title="Campus tour",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip
    page = client.get(url(program, f"hosts/{host.pk}/")).content.decode()
    assert "Campus tour" in page
    assert f'value="{host.name}"' in page

    response = client.post(url(program, f"hosts/{host.pk}/"), {**HOST_DATA, "name": "Nazarbayev University"})

    host.refresh_from_db()
    visit.refresh_from_db()
    assert response.status_code == 302
    assert host.name == "Nazarbayev University"
    assert visit.sequence == 1  # calendars see the new name (host_update)


def test_host_used_by_another_programs_visits_cannot_be_changed_here(client, program, host):
    other = ProgramFactory(title="Another academy")
    visit_create(
        program=other, groups=[ProjectGroupFactory(program=other)], host=host, title="Their visit",
        starts_at=local(other, DAY, 10), ends_at=local(other, DAY, 12),
    )  # fmt: skip
    name = host.name

    page = client.get(url(program, f"hosts/{host.pk}/"))
    response = client.post(url(program, f"hosts/{host.pk}/"), {**HOST_DATA, "name": "Renamed"})

    assert "only their organisers may change it" in page.content.decode()
    assert response.status_code == 400
    assert "“Another academy”" in response.content.decode()
    host.refresh_from_db()
    assert host.name == name


def test_unknown_host_is_404(client, program):
    assert client.get(url(program, "hosts/999999/")).status_code == 404
    assert client.post(url(program, "hosts/999999/contacts/new/"), {"name": "X"}).status_code == 404


def test_add_edit_and_remove_a_contact(client, program, host):
    created = client.post(
        url(program, f"hosts/{host.pk}/contacts/new/"),
        {
            "name": "Dana Abenova",
            "role": "Partnerships",
            "email": "dana@hub.example",
            "phone": "+7 700 000 00 00",
            "language": "kk",
        },
    )
    contact = HostContact.objects.get(host=host)
    assert created.status_code == 302
    assert (contact.name, contact.email, contact.language) == ("Dana Abenova", "dana@hub.example", "kk")
    assert "Dana Abenova" in client.get(url(program, f"hosts/{host.pk}/")).content.decode()

    client.post(
        url(program, f"hosts/{host.pk}/contacts/{contact.pk}/"),
        {"name": "Dana Abenova", "role": "Head", "language": "ru"},
    )
    contact.refresh_from_db()
    assert (contact.role, contact.email) == ("Head", "")

    client.post(url(program, f"hosts/{host.pk}/contacts/{contact.pk}/"), {"delete": "1"})
    assert not HostContact.objects.filter(pk=contact.pk).exists()


def test_contact_form_errors_are_form_messages(client, program, host):
    response = client.post(url(program, f"hosts/{host.pk}/contacts/new/"), {"name": "", "email": "not-an-address"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in body
    assert "Enter a valid email address." in body
    assert not HostContact.objects.exists()


def test_contact_of_another_host_is_404(client, program, host):
    stranger = HostContactFactory(host=HostOrganisationFactory())

    response = client.post(url(program, f"hosts/{host.pk}/contacts/{stranger.pk}/"), {"delete": "1"})

    assert response.status_code == 404
    assert HostContact.objects.filter(pk=stranger.pk).exists()


def test_delete_a_host_without_visits_and_refuse_one_with_visits(client, program, group, host):
    spare = HostOrganisationFactory(name="Spare host")
    visit_create(
        program=program, groups=[group], host=host, title="Campus tour",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip

    refused = client.post(url(program, f"hosts/{host.pk}/delete/"), follow=True)
    client.post(url(program, f"hosts/{spare.pk}/delete/"))

    assert "still has visits" in refused.content.decode()
    assert HostOrganisation.objects.filter(pk=host.pk).exists()
    assert not HostOrganisation.objects.filter(pk=spare.pk).exists()


def test_host_pages_need_an_organiser_of_the_program(anonymous, program, host):
    assert anonymous.post(url(program, "hosts/new/"), HOST_DATA).status_code == 302
    assert not HostOrganisation.objects.filter(name="Astana Hub").exists()


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_host_pages_query_counts_do_not_grow_with_the_data(client, program, group):
    counts = []
    for size in (1, 4):
        for n in range(size):
            host = HostOrganisationFactory()
            HostContactFactory.create_batch(2, host=host)
            visit_create(
                program=program, groups=[group], host=host, title=f"Visit {size}-{n}",
                starts_at=local(program, date(2026, 12, 7 + size), 8 + 2 * n),
                ends_at=local(program, date(2026, 12, 7 + size), 9 + 2 * n),
            )  # fmt: skip
        counts.append((_queries(client, url(program, "hosts/")), _queries(client, url(program, f"hosts/{host.pk}/"))))

    assert counts[0] == counts[1]

"""Visits and hosts in the admin: cancelled (never deleted) through `visit_cancel`, hosts and
their contacts through the host services, with the effects a participant and a partner see."""

import pytest

from partners.models import WebhookDelivery
from tests.factories import local, mark_all_told, untold_program_ids
from visits.models import HostContact, HostOrganisation, SiteVisit
from visits.services import visit_create

from .pages import form_values

pytestmark = pytest.mark.django_db


def feed(client, participant) -> str:
    return client.get(f"/i/{participant.access_token}.ics").content.decode()


def assert_cancelled_everywhere(client, side):
    visit = SiteVisit.objects.get(pk=side.visit.pk)
    assert visit.status == "cancelled"
    assert "STATUS:CANCELLED" in feed(client, side.member)
    assert side.program.pk in untold_program_ids()
    assert WebhookDelivery.objects.filter(event="visit.cancelled").count() == 1
    assert visit.history.first().history_actor == "user org-a"


def test_admin_cancel_action_cancels_through_the_service(side_a, partner, organiser_client, client):
    mark_all_told()

    response = organiser_client.post(
        "/admin/visits/sitevisit/", {"action": "cancel_visits", "_selected_action": [side_a.visit.pk]}
    )

    assert response.status_code == 302
    assert_cancelled_everywhere(client, side_a)


def test_admin_cancel_button_asks_then_cancels(side_a, partner, organiser_client, client):
    mark_all_told()
    cancel_url = f"/admin/visits/sitevisit/{side_a.visit.pk}/cancel/"

    change_page = organiser_client.get(f"/admin/visits/sitevisit/{side_a.visit.pk}/change/").content.decode()
    question = organiser_client.get(cancel_url)
    status_after_asking = SiteVisit.objects.get(pk=side_a.visit.pk).status
    response = organiser_client.post(cancel_url)

    assert cancel_url in change_page
    assert "Visit of A" in question.content.decode()
    assert status_after_asking == "planned"
    assert response.status_code == 302
    assert_cancelled_everywhere(client, side_a)


def test_admin_cancel_of_another_programs_visit_is_not_found(side_a, side_b, organiser_client):
    response = organiser_client.post(f"/admin/visits/sitevisit/{side_b.visit.pk}/cancel/")

    assert response.status_code == 404
    assert SiteVisit.objects.get(pk=side_b.visit.pk).status == "planned"


def test_admin_visits_cannot_be_deleted(side_a, organiser_client, superuser_client):
    for client in (organiser_client, superuser_client):
        delete = client.post(f"/admin/visits/sitevisit/{side_a.visit.pk}/delete/", {"post": "yes"})
        changelist = client.get("/admin/visits/sitevisit/")

        assert delete.status_code == 403
        assert "delete_selected" not in dict(changelist.context["action_form"].fields["action"].choices)
    assert SiteVisit.objects.filter(pk=side_a.visit.pk).exists()


def test_admin_clash_message_is_in_the_organisers_language(side_a, organiser_client):
    program = side_a.program
    url = "/admin/visits/sitevisit/add/"
    data = form_values(
        organiser_client.get(url),
        program=str(program.pk),
        title="Astana Hub",
        kind="site_visit",
        status="planned",
        starts_at_0=program.start_date.isoformat(),
        starts_at_1="11:00:00",
        ends_at_0=program.start_date.isoformat(),
        ends_at_1="13:00:00",
        groups=[str(side_a.group.pk)],
    )

    response = organiser_client.post(url, data, headers={"accept-language": "ru"})

    errors = response.context["adminform"].form.errors["groups"]
    assert errors[0] == "Группа «Group of A» уже записана на «Visit of A» (07.12.2026 10:00–12:00)."
    assert SiteVisit.objects.filter(program=program).count() == 1


def test_admin_groups_beyond_capacity_are_refused(side_a, organiser_client):
    program = side_a.program
    visit = visit_create(
        program=program,
        title="Small lab",
        capacity=1,
        starts_at=local(program, program.start_date, 14),
        ends_at=local(program, program.start_date, 15),
    )
    url = f"/admin/visits/sitevisit/{visit.pk}/change/"

    response = organiser_client.post(url, form_values(organiser_client.get(url), groups=[str(side_a.group.pk)]))

    assert response.status_code == 200
    assert "capacity" in response.context["adminform"].form.errors
    assert not visit.bookings.exists()


def test_admin_host_address_change_reaches_the_programs_visiting_it(side_a, partner, organiser_client):
    mark_all_told()
    url = f"/admin/visits/hostorganisation/{side_a.host.pk}/change/"

    response = organiser_client.post(url, form_values(organiser_client.get(url), address="1 Mangilik El Ave, Astana"))

    assert response.status_code == 302
    assert side_a.program.pk in untold_program_ids()
    assert SiteVisit.objects.get(pk=side_a.visit.pk).sequence == 1
    assert WebhookDelivery.objects.filter(event="visit.updated").count() == 1
    assert HostOrganisation.objects.get(pk=side_a.host.pk).history.first().history_actor == "user org-a"


def test_admin_host_contacts_inline_adds_changes_and_removes(side_a, organiser_client):
    host = side_a.host
    kept = host.contacts.get()
    removed = HostContact.objects.create(host=host, name="Old desk", email="old@host.example")
    url = f"/admin/visits/hostorganisation/{host.pk}/change/"
    page = form_values(organiser_client.get(url))
    rows = {page[f"contacts-{i}-id"]: i for i in range(int(page["contacts-INITIAL_FORMS"]))}
    new = int(page["contacts-INITIAL_FORMS"])
    data = {
        **page,
        f"contacts-{rows[str(kept.pk)]}-role": "Head of protocol",
        f"contacts-{rows[str(removed.pk)]}-DELETE": "on",
        f"contacts-{new}-name": "Security desk",
        f"contacts-{new}-email": "desk@host.example",
    }

    response = organiser_client.post(url, data)

    assert response.status_code == 302
    assert sorted(host.contacts.values_list("name", "role")) == [
        ("Asel Nurpeisova", "Head of protocol"),
        ("Security desk", ""),
    ]


def test_admin_host_with_visits_cannot_be_deleted(side_a, organiser_client):
    unused = HostOrganisation.objects.create(name="Astana Hub")

    refused = organiser_client.post(
        f"/admin/visits/hostorganisation/{side_a.host.pk}/delete/", {"post": "yes"}, follow=True
    )
    deleted = organiser_client.post(f"/admin/visits/hostorganisation/{unused.pk}/delete/", {"post": "yes"})

    assert HostOrganisation.objects.filter(pk=side_a.host.pk).exists()
    assert refused.status_code == 200
    assert deleted.status_code == 302
    assert not HostOrganisation.objects.filter(pk=unused.pk).exists()

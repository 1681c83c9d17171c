"""The audit trail names who changed what."""

import pytest
from django.contrib.auth import get_user_model

from participants.models import Participant
from participants.privacy import participant_anonymise
from participants.services import participant_update
from programs.models import Program
from tests.factories import ParticipantFactory, local
from visits.services import visit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = get_user_model().objects.create_superuser("root", "root@academy.example", "pw-for-tests-only")
    client.force_login(user)
    return user


@pytest.fixture
def visit(program, group):
    """A visit of the group, created by the service outside a request."""
    return visit_create(
        program=program,
        groups=[group],
        title="Astana Hub",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 12),
    )


def test_service_change_outside_a_request_is_recorded_as_system(program):
    participant = ParticipantFactory(program=program)

    participant_update(participant=participant, position="Minister of Economic Development")

    latest = participant.history.first()
    assert latest.history_type == "~"
    assert latest.position == "Minister of Economic Development"
    assert latest.history_actor == "system"
    assert latest.history_user is None


def test_admin_change_is_recorded_with_the_organiser(client, root, program):
    data = {
        "slug": program.slug,
        "title": "Renamed program",
        "description": "",
        "host_institution": program.host_institution,
        "city": program.city,
        "timezone": program.timezone,
        "start_date": program.start_date.isoformat(),
        "end_date": program.end_date.isoformat(),
        "status": program.status,
        "certificate_min_attendance": program.certificate_min_attendance,
    }

    response = client.post(f"/admin/programs/program/{program.pk}/change/", data)

    assert response.status_code == 302
    latest = Program.history.filter(id=program.pk).first()
    assert latest.title == "Renamed program"
    assert latest.history_user == root
    assert latest.history_actor == "user root"
    history_page = client.get(f"/admin/programs/program/{program.pk}/history/")
    assert "user root" in history_page.content.decode()


def test_history_never_holds_the_access_token(program):
    participant = ParticipantFactory(program=program)

    fields = {field.name for field in Participant.history.model._meta.fields}

    assert "access_token" not in fields
    assert participant.history.count() == 1


def test_anonymise_scrubs_personal_fields_from_history(program):
    participant = ParticipantFactory(program=program, phone="+7 900 123 4567")
    participant_update(participant=participant, position="Deputy Governor")

    participant_anonymise(participant=participant)

    for row in participant.history.all():
        assert row.phone == ""
        assert row.position == ""
        assert row.email.endswith("@invalid.invalid")


def test_visit_history_lists_who_changed_what_with_groups(client, root, program, group, other_group, visit):
    from visits.selectors import visit_history
    from visits.services import visit_update

    visit_update(
        visit=visit,
        groups=[group, other_group],
        starts_at=local(program, program.start_date, 11),
        ends_at=local(program, program.start_date, 13),
    )

    entries = visit_history(visit=visit)

    assert [entry.action for entry in entries] == ["changed", "created"]
    changed = {label: (old, new) for label, old, new in entries[0].changes}
    assert changed["starts at"] == (f"{program.start_date} 10:00", f"{program.start_date} 11:00")
    assert changed["groups"] == (group.name, ", ".join(sorted([group.name, other_group.name])))
    assert "sequence" not in changed
    assert entries[0].actor == "system"


def test_visit_history_on_the_organiser_page_names_the_organiser(client, root, program, group, visit):
    url = f"/organiser/programs/{program.slug}/visits/{visit.pk}/"
    page = client.get(url)
    assert page.status_code == 200, url
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["meeting_point"] = "Hotel lobby"
    data["groups"] = [group.pk]

    response = client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    body = client.get(url).content.decode()
    assert "History" in body
    assert "user root" in body
    assert "Hotel lobby" in body


def test_admin_visit_history_page_shows_the_actor(client, root, program, group, visit):

    page = client.get(f"/admin/visits/sitevisit/{visit.pk}/history/")

    assert page.status_code == 200
    assert "system" in page.content.decode()
    assert group.name in page.content.decode()

"""The visit form: local times in the program's zone, clashes, bad input, warnings."""

import zoneinfo
from datetime import date, datetime

import pytest

from tests.factories import HostOrganisationFactory, ProgramFactory, ProjectGroupFactory, local
from visits.models import SiteVisit, VisitGroup
from visits.services import visit_create

from .conftest import url

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)


def form_data(host_obj, groups, start="2026-12-08T10:00", end="2026-12-08T12:00", **extra):
    data = {
        "title": "Astana Hub: the IT startup ecosystem",
        "kind": "site_visit",
        "host": host_obj.name if host_obj else "",
        "starts_at": start,
        "ends_at": end,
        "groups": [group.pk for group in groups],
        "location": "",
        "meeting_point": "Hotel lobby",
        "agenda": "Tour and talks",
        "capacity": "",
        "status": "planned",
    }
    data.update(extra)
    return data


def test_visit_form_has_the_labels_organisers_look_for(client, program, group):
    page = client.get(url(program, "visits/new/")).content.decode()

    for label in ["Title", "Kind", "Host organisation", "Starts at", "Ends at", "Groups", "All groups",
                  "Location", "Meeting point", "Agenda", "Capacity", "Status"]:  # fmt: skip
        assert f">{label}" in page, label
    assert 'list="host-options"' in page
    assert group.name in page


def test_visit_form_times_are_the_programs_local_time_whatever_the_server_zone(client, group, host, settings):
    settings.TIME_ZONE = "America/New_York"
    program = group.program
    program.timezone = "Asia/Almaty"  # UTC+5
    program.save()

    response = client.post(url(program, "visits/new/"), form_data(host, [group]))

    assert response.status_code == 302
    visit = SiteVisit.objects.get()
    assert visit.starts_at == datetime(2026, 12, 8, 5, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert visit.ends_at == datetime(2026, 12, 8, 7, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert list(VisitGroup.objects.values_list("group_id", flat=True)) == [group.pk]
    assert response["Location"] == url(program, f"board/?day=2026-12-08#visit-{visit.pk}")
    edit_page = client.get(url(program, f"visits/{visit.pk}/")).content.decode()
    assert 'value="2026-12-08T10:00"' in edit_page


def test_visit_form_clash_names_visit_and_group_and_saves_nothing(client, program, group, host):
    visit_create(
        program=program, groups=[group], host=host, title="Nazarbayev University",
        starts_at=local(program, DAY, 11), ends_at=local(program, DAY, 13),
    )  # fmt: skip

    response = client.post(url(program, "visits/new/"), form_data(host, [group], title="Clashing visit"))

    assert response.status_code == 400
    body = response.content.decode()
    assert "Nazarbayev University" in body
    assert group.name in body
    assert "nothing was saved" in body
    assert not SiteVisit.objects.filter(title="Clashing visit").exists()
    assert VisitGroup.objects.count() == 1


def test_visit_form_moving_a_visit_onto_another_is_refused(client, program, group, host):
    first = visit_create(
        program=program, groups=[group], host=host, title="First",
        starts_at=local(program, DAY, 9), ends_at=local(program, DAY, 10),
    )  # fmt: skip
    second = visit_create(
        program=program, groups=[group], host=host, title="Second",
        starts_at=local(program, DAY, 14), ends_at=local(program, DAY, 15),
    )  # fmt: skip

    response = client.post(
        url(program, f"visits/{second.pk}/"),
        form_data(host, [group], title="Second", start="2026-12-08T09:30", end="2026-12-08T10:30"),
    )

    assert response.status_code == 400
    assert "First" in response.content.decode()
    second.refresh_from_db()
    assert second.starts_at == local(program, DAY, 14)
    assert first.pk != second.pk


def test_visit_form_edit_moves_the_visit(client, program, group, host):
    visit = visit_create(
        program=program, groups=[group], host=host, title="Lecture",
        starts_at=local(program, DAY, 9), ends_at=local(program, DAY, 10),
    )  # fmt: skip

    response = client.post(
        url(program, f"visits/{visit.pk}/"),
        form_data(host, [group], title="Lecture", start="2026-12-09T15:00", end="2026-12-09T16:30"),
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.starts_at == local(program, date(2026, 12, 9), 15)
    assert visit.ends_at == local(program, date(2026, 12, 9), 16, 30)
    assert visit.sequence == 1


def test_visit_form_foreign_group_id_is_a_form_error(client, program, group, host):
    foreign = ProjectGroupFactory(program=ProgramFactory())

    response = client.post(url(program, "visits/new/"), form_data(host, [group, foreign]))

    assert response.status_code == 400
    assert f"Select a valid choice. {foreign.pk} is not one of the available choices." in response.content.decode()
    assert SiteVisit.objects.count() == 0


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2026-12-08T12:00", "2026-12-08T10:00", "ends_at", "The visit must end after it starts."),
        ("2027-01-20T10:00", "2027-01-20T12:00", "starts_at", "within the program&#x27;s dates"),
        ("tomorrow", "2026-12-08T12:00", "starts_at", "Enter a date and time"),
        ("", "2026-12-08T12:00", "starts_at", "This field is required."),
    ],
)
def test_visit_form_bad_times_are_field_errors(client, program, group, host, start, end, field, message):
    response = client.post(url(program, "visits/new/"), form_data(host, [group], start=start, end=end))

    assert response.status_code == 400
    body = response.content.decode()
    error_at = body.index(f'id="id_{field}_error"')
    assert message in body[error_at : error_at + 300]
    assert SiteVisit.objects.count() == 0


def test_visit_form_unknown_host_is_a_field_error(client, program, group, host):
    response = client.post(url(program, "visits/new/"), form_data(host, [group], host="Ministry of Nowhere"))

    assert response.status_code == 400
    assert "There is no host organisation named “Ministry of Nowhere”" in response.content.decode()
    assert SiteVisit.objects.count() == 0


def test_visit_form_host_match_ignores_case(client, program, group):
    host = HostOrganisationFactory(name="Astana Hub")

    client.post(url(program, "visits/new/"), form_data(None, [group], host="astana hub"))

    assert SiteVisit.objects.get().host == host


def test_visit_form_all_groups_books_every_group(client, program, group, other_group, host):
    response = client.post(url(program, "visits/new/"), form_data(host, [], all_groups="on"))

    assert response.status_code == 302
    assert set(VisitGroup.objects.values_list("group_id", flat=True)) == {group.pk, other_group.pk}


def test_visit_form_capacity_rule_comes_back_as_field_error(client, program, group, host):
    from tests.factories import ParticipantFactory

    ParticipantFactory.create_batch(3, program=program, group=group)

    response = client.post(url(program, "visits/new/"), form_data(host, [group], capacity="2"))

    assert response.status_code == 400
    body = response.content.decode()
    assert "3 participants attend but the capacity is 2." in body[body.index('id="id_capacity_error"') :]


def test_visit_form_soft_warning_shown_after_save_without_blocking(client, program, group, host):
    response = client.post(
        url(program, "visits/new/"), form_data(host, [group], start="2026-12-08T06:30", end="2026-12-08T07:30")
    )

    assert response.status_code == 302
    assert SiteVisit.objects.count() == 1
    board = client.get(response["Location"]).content.decode()
    assert "outside 08:00–20:00 local time (06:30–07:30)" in board


def test_visit_form_new_prefills_group_and_time_from_the_board(client, program, group):
    page = client.get(url(program, f"visits/new/?group={group.pk}&start=2026-12-08T14:00")).content.decode()

    assert 'value="2026-12-08T14:00"' in page
    assert 'value="2026-12-08T16:00"' in page
    assert f'value="{group.pk}" id="id_groups_0" checked' in page or f'value="{group.pk}" checked' in page


def test_visit_form_garbage_prefill_is_ignored(client, program):
    response = client.get(url(program, "visits/new/?group=abc&start=not-a-date"))

    assert response.status_code == 200


def test_visit_form_other_programs_visit_is_404(client, program):
    foreign_program = ProgramFactory()
    foreign_group = ProjectGroupFactory(program=foreign_program)
    visit = visit_create(
        program=foreign_program, groups=[foreign_group], title="Foreign",
        starts_at=local(foreign_program, DAY, 9), ends_at=local(foreign_program, DAY, 10),
    )  # fmt: skip

    assert client.get(url(program, f"visits/{visit.pk}/")).status_code == 404


@pytest.mark.parametrize("forged", ["99999999999999999999999", "²", "-1"])
def test_visit_form_with_a_group_that_is_no_id_names_the_groups_and_saves_nothing(client, program, group, host, forged):
    response = client.post(url(program, "visits/new/"), {**form_data(host, [group]), "groups": [group.pk, forged]})

    assert response.status_code == 400
    assert forged in response.context["form"].errors["groups"][0]
    assert not SiteVisit.objects.exists()


@pytest.mark.parametrize("start", ["9999-12-31T23:59", "0001-01-01T00:00", "2026-02-30T10:00"])
def test_new_visit_page_with_a_start_that_cannot_be_opens_without_it(client, program, start):
    response = client.get(url(program, f"visits/new/?start={start}"))

    assert response.status_code == 200
    assert "starts_at" not in response.context["form"].initial

"""Host directory, visitor lists for the security desk, printable schedules."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from participants.privacy import participant_anonymise
from tests.factories import HostContactFactory, HostOrganisationFactory, ParticipantFactory, local
from visits.services import visit_cancel, visit_create

from .conftest import url

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)


@pytest.fixture
def hub():
    host = HostOrganisationFactory(
        name="Astana Hub",
        address="55/8 Mangilik El Ave",
        latitude=Decimal("51.089000"),
        longitude=Decimal("71.416000"),
        visitor_requirements="Passport at the gate.",
        visitor_list_days_ahead=2,
    )
    HostContactFactory(host=host, name="Dana Abenova", role="Partnerships", email="dana@hub.example")
    return host


def test_host_directory_shows_contacts_requirements_visits_and_map_link(client, program, group, hub):
    visit = visit_create(
        program=program, groups=[group], host=hub, title="Hub tour",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip

    body = client.get(url(program, "hosts/")).content.decode()

    assert "Dana Abenova" in body
    assert "Passport at the gate." in body
    assert "needs the visitor list 2 days ahead" in body
    assert "https://www.openstreetmap.org/?mlat=51.089000&amp;mlon=71.416000" in body
    assert "Tue 8 Dec, 10:00 · Hub tour" in body
    assert url(program, f"visits/{visit.pk}/visitors.csv") in body


def test_host_directory_map_link_by_address_without_coordinates(client, program):
    HostOrganisationFactory(name="Damu", address="111 Gogol St", city="Almaty")

    body = client.get(url(program, "hosts/")).content.decode()

    assert "https://www.openstreetmap.org/search?query=111%20Gogol%20St%2C%20Almaty" in body


def test_visitor_list_csv_and_print(client, program, group, other_group, hub):
    ParticipantFactory(program=program, group=group, last_name="Antonov", position="=cmd|' /C calc'!A0")
    ParticipantFactory(program=program, group=other_group, last_name="Belova")
    visit = visit_create(
        program=program, groups=[group], host=hub, title="Hub tour",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip

    rows = list(csv.reader(io.StringIO(client.get(url(program, f"visits/{visit.pk}/visitors.csv")).content.decode())))
    page = client.get(url(program, f"visits/{visit.pk}/visitors/")).content.decode()

    assert rows[0][0] == "\ufeffFamily name"  # the header in the organiser's language
    assert [row[0] for row in rows[1:]] == ["Antonov"]
    assert rows[1][3].startswith("'=")
    assert "Antonov" in page
    assert "Belova" not in page
    assert "Tuesday, 8 December 2026, 10:00–12:00" in page


def test_visitor_list_csv_and_print_leave_out_anonymised_participants(client, program, group, hub):
    ParticipantFactory(program=program, group=group, last_name="Antonov")
    gone = participant_anonymise(participant=ParticipantFactory(program=program, group=group, last_name="Belova"))
    visit = visit_create(
        program=program, groups=[group], host=hub, title="Hub tour",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip

    rows = list(csv.reader(io.StringIO(client.get(url(program, f"visits/{visit.pk}/visitors.csv")).content.decode())))
    page = client.get(url(program, f"visits/{visit.pk}/visitors/")).content.decode()

    assert [row[0] for row in rows[1:]] == ["Antonov"]
    assert gone.first_name not in page
    assert "Antonov" in page


def test_printable_group_schedule_has_one_page_per_day(client, program, group, hub):
    for day, hour in ((DAY, 10), (DAY, 14), (date(2026, 12, 9), 10)):
        visit_create(
            program=program, groups=[group], host=hub, title=f"Visit {day:%d} {hour}",
            starts_at=local(program, day, hour), ends_at=local(program, day, hour + 1),
        )  # fmt: skip
    cancelled = visit_create(
        program=program, groups=[group], host=hub, title="Dropped",
        starts_at=local(program, DAY, 16), ends_at=local(program, DAY, 17),
    )  # fmt: skip
    visit_cancel(visit=cancelled)

    body = client.get(url(program, f"print/groups/{group.pk}/")).content.decode()

    assert body.count('class="print-page print-day"') == 2
    assert body.index("Tuesday, 8 December 2026") < body.index("Visit 08 14") < body.index("Wednesday, 9 December 2026")
    assert '<tr class="is-cancelled">' in body


def test_printable_participant_schedule(client, program, group, hub):
    person = ParticipantFactory(program=program, group=group, first_name="Irina", patronymic="", last_name="Sokolova")
    visit_create(
        program=program, groups=[group], host=hub, title="Hub tour",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip

    body = client.get(url(program, f"print/participants/{person.pk}/")).content.decode()

    assert "Irina Sokolova" in body
    assert "10:00–12:00" in body
    assert "55/8 Mangilik El Ave" in body


def test_print_stylesheet_breaks_a_page_after_each_day():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/portal/portal.css").read_text()
    print_rules = css[css.index("@media print") :]

    assert "break-after: page" in print_rules


def test_host_directory_names_the_city_once_when_the_address_already_does(client, program):
    HostOrganisationFactory(name="Astana Hub", address="55/5 Mangilik El Ave, Astana", city="Astana")

    body = client.get(url(program, "hosts/")).content.decode()

    assert "55/5 Mangilik El Ave, Astana" in body
    assert "Astana, Astana" not in body
    assert "https://www.openstreetmap.org/search?query=55%2F5%20Mangilik%20El%20Ave%2C%20Astana" in body
    assert "Astana%2C%20Astana" not in body

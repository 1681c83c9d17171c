"""Visitors' ID details: encrypted at rest, given on the personal page, in exactly the visitor lists
that require them, exported, erased, purged, re-encrypted after a key rotation."""

import csv
import io
from datetime import date, datetime

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from audit.models import DataAccess
from notices.services import host_briefings_enqueue
from participants.models import VisitorDetails
from participants.privacy import participant_anonymise, participant_export
from participants.services import visitor_details_purge_expired, visitor_details_set
from visits.selectors import visit_visitor_list

from .conftest import MINISTRY_CSV_HEADER_RU, mails_to

pytestmark = pytest.mark.django_db

PASSPORT = "N12345678"


def raw_row(participant) -> tuple:
    table = VisitorDetails._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT passport_name, citizenship, document_number, date_of_birth FROM {table} "  # noqa: S608 - our table's name
            "WHERE participant_id = %s",
            [participant.pk],
        )
        return cursor.fetchone()


def test_the_database_column_holds_no_plaintext_passport_number(scene):
    person = scene.others[0]
    visitor_details_set(
        participant=person, passport_name="CHERNOV ANDREY", citizenship="Russian Federation",
        document_number=PASSPORT, date_of_birth="1980-04-25",
    )  # fmt: skip

    row = raw_row(person)

    assert all(value and value.startswith("gAAAA") for value in row)  # Fernet tokens
    assert not any(PASSPORT in value or "CHERNOV" in value or "1980" in value for value in row)
    assert VisitorDetails.objects.get(participant=person).document_number == PASSPORT


def test_visitor_list_holds_only_the_required_fields_and_only_that_visits_participants(scene):
    person = scene.others[0]
    visitor_details_set(participant=person, passport_name="CHERNOV ANDREY", citizenship="RU", document_number=PASSPORT)
    for other in scene.people:  # the hub's visitors: their details must not appear in the ministry's list
        visitor_details_set(participant=other, document_number="X999")

    ministry = visit_visitor_list(visit=scene.ministry_visit)
    hub = visit_visitor_list(visit=scene.hub_visit)

    assert [name for name, _label in ministry.columns] == ["passport_name", "citizenship", "document_number"]
    assert [row["name"] for row in ministry.rows] == [person.full_name]
    assert ministry.rows[0]["values"] == ["CHERNOV ANDREY", "RU", PASSPORT]
    assert "date_of_birth" not in ministry.rows[0]
    # The hub asked for position and organisation only: no ID details in its list.
    assert [name for name, _label in hub.columns] == ["position", "organisation"]
    assert "X999" not in str(hub.rows)
    assert sorted(row["family_name"] for row in hub.rows) == ["Antonov", "Belova"]


@pytest.fixture
def organiser(client, scene):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from programs.selectors import ORGANISERS_GROUP

    user = get_user_model().objects.create_user("org", "org@academy.example", "pw-for-tests-only")
    user.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    scene.program.organisers.add(user)
    client.force_login(user)
    return client


def test_organiser_csv_and_page_carry_the_hosts_fields_and_each_read_is_recorded(organiser, scene):
    visitor_details_set(participant=scene.others[0], passport_name="CHERNOV ANDREY", document_number=PASSPORT)
    base = f"/organiser/programs/{scene.program.slug}/visits/{scene.ministry_visit.pk}/"

    rows = list(csv.reader(io.StringIO(organiser.get(base + "visitors.csv").content.decode().lstrip("\ufeff"))))
    page = organiser.get(base + "visitors/").content.decode()

    assert rows[0] == [  # in the organiser's language
        "Family name",
        "Given name",
        "Patronymic",
        "Full name as in the passport",
        "Citizenship",
        "Passport or ID document number",
        "Group",
    ]
    assert rows[1][3:6] == ["CHERNOV ANDREY", "", PASSPORT]
    assert len(rows) == 2
    assert PASSPORT in page
    assert "Antonov" not in page
    reads = list(DataAccess.objects.order_by("at", "id").values_list("actor", "object_id", "channel"))
    assert reads == [
        ("user org", scene.ministry_visit.pk, "organiser CSV"),
        ("user org", scene.ministry_visit.pk, "organiser page"),
    ]


def test_host_briefing_carries_exactly_the_required_fields_and_no_id_data_in_the_outbox(scene, send):
    from notifications.models import Notification

    visitor_details_set(participant=scene.others[0], passport_name="CHERNOV ANDREY", document_number=PASSPORT)

    send(host_briefings_enqueue, now=datetime(2026, 12, 6, 9, 0, tzinfo=scene.program.tzinfo))

    [briefing] = mails_to("desk@gov.example")
    _name, content, _mimetype = briefing.attachments[0]
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    # The same table as the pages' download, headed in the contact's language (Russian).
    assert rows[0] == MINISTRY_CSV_HEADER_RU
    assert rows[1][0] == "Chernov"
    assert rows[1][3] == "CHERNOV ANDREY"
    assert rows[1][5] == PASSPORT
    assert PASSPORT in briefing.body
    assert not any(PASSPORT in str(row.payload) for row in Notification.objects.all())
    assert DataAccess.objects.filter(object_id=scene.ministry_visit.pk, channel="email").count() == 1


def test_export_includes_the_details_and_the_erase_leaves_nothing(scene):
    person = scene.others[0]
    visitor_details_set(participant=person, document_number=PASSPORT, citizenship="RU")

    exported = participant_export(participant=person)
    participant_anonymise(participant=person)

    assert exported["visitor_details"]["document_number"] == PASSPORT
    assert not VisitorDetails.objects.filter(participant=person).exists()
    assert participant_export(participant=person)["visitor_details"] is None


@override_settings(VISITOR_DETAILS_RETENTION_DAYS=7)
def test_details_are_purged_the_configured_days_after_the_program_ends(scene):
    person = scene.others[0]
    visitor_details_set(participant=person, document_number=PASSPORT)

    kept = visitor_details_purge_expired(today=date(2026, 12, 23))  # ended 16 Dec + 7 days: not yet
    purged = visitor_details_purge_expired(today=date(2026, 12, 24))

    assert (kept, purged) == (0, 1)
    assert not VisitorDetails.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {VisitorDetails._meta.db_table}")  # noqa: S608 - our table's name
        assert cursor.fetchone()[0] == 0


def test_a_rotated_key_still_reads_old_rows_and_reencrypt_moves_them_to_the_new_key(scene):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    person = scene.others[0]
    with override_settings(FIELD_ENCRYPTION_KEYS=[old]):
        visitor_details_set(participant=person, document_number=PASSPORT)
        before = raw_row(person)[2]

    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        assert VisitorDetails.objects.get(participant=person).document_number == PASSPORT
        call_command("reencrypt_visitor_details", stdout=io.StringIO())
        after = raw_row(person)[2]

    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        assert VisitorDetails.objects.get(participant=person).document_number == PASSPORT
    assert after != before
    assert Fernet(new.encode()).decrypt(after.encode()).decode() == PASSPORT


def test_participant_fills_in_what_their_hosts_require_on_their_personal_page(client, scene):
    person = scene.others[0]  # visits the ministry, which asks for passport name, citizenship, number
    itinerary = client.get(f"/i/{person.access_token}/").content.decode()
    url = f"/i/{person.access_token}/visitor-details/"
    form = client.get(url).content.decode()

    saved = client.post(url, {"passport_name": "CHERNOV ANDREY", "citizenship": "RU", "document_number": PASSPORT})

    assert url in itinerary
    assert "Ministry of Digital Development" in form
    assert 'name="document_number"' in form
    assert 'name="date_of_birth"' not in form  # nobody requires it
    assert "будут удалены 24 декабря 2026" in form  # who sees it and until when, in the participant's Russian
    assert saved.status_code == 303
    assert VisitorDetails.objects.get(participant=person).document_number == PASSPORT
    assert url not in client.get(f"/i/{person.access_token}/").content.decode()  # nothing missing any more


def test_a_bad_date_of_birth_is_refused_on_the_form(client, scene):
    from visits.services import host_update

    host_update(host=scene.ministry, required_visitor_fields=["date_of_birth"])
    person = scene.others[0]

    response = client.post(f"/i/{person.access_token}/visitor-details/", {"date_of_birth": "25/04/1980"})

    assert response.status_code == 400
    assert not VisitorDetails.objects.filter(participant=person).exists()


@pytest.mark.parametrize("field", ["passport_name", "position"])
def test_a_detail_holding_a_nul_is_refused_on_the_form_and_nothing_is_saved(client, scene, field):
    from visits.services import host_update

    host_update(host=scene.ministry, required_visitor_fields=["passport_name", "position"])
    person = scene.others[0]
    position = person.position

    response = client.post(
        f"/i/{person.access_token}/visitor-details/",
        {"passport_name": "CHERNOV ANDREY", "position": "Deputy Governor", field: "CHERNOV\x00"},
    )

    assert response.status_code == 400
    assert "Данные содержат запрещённый символ" in response.content.decode()  # the participant reads Russian
    assert not VisitorDetails.objects.filter(participant=person).exists()
    person.refresh_from_db()
    assert person.position == position

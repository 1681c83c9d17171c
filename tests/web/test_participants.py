"""Participants: list with search, add/edit, move, import (CSV/XLSX) and export."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from participants.models import Participant
from tests.factories import ParticipantFactory, ProgramFactory, ProjectGroupFactory
from tests.workbooks import cell, workbook

from .conftest import url

pytestmark = pytest.mark.django_db

HEADER = (
    "given_name,family_name,patronymic,email,phone,position,organisation,region,language,home_timezone,group,notes\n"
)


def upload(client, program, name, content: bytes):
    return client.post(url(program, "participants/import/"), {"file": SimpleUploadedFile(name, content)})


def test_participant_list_groups_and_searches(client, program, group, other_group):
    ParticipantFactory(program=program, group=group, last_name="Antonov", region="Tomsk Region")
    ParticipantFactory(
        program=program,
        group=other_group,
        last_name="Belova",
        region="Kaluga Region",
        position="Minister",
        organisation="Kaluga",
    )

    everyone = client.get(url(program, "participants/")).content.decode()
    found = client.get(url(program, "participants/?q=tomsk")).content.decode()

    assert "Antonov" in everyone
    assert "Belova" in everyone
    assert everyone.index(group.name) < everyone.index("Antonov") < everyone.index(other_group.name)
    assert "Antonov" in found
    assert "Belova" not in found


def test_participant_add_and_edit(client, program, group):
    data = {
        "first_name": "Irina", "last_name": "Sokolova", "email": "irina@example.org", "group": group.pk,
        "language": "ru", "home_timezone": "Asia/Tomsk",
    }  # fmt: skip
    assert client.post(url(program, "participants/new/"), data).status_code == 302
    person = Participant.objects.get(email="irina@example.org")
    assert person.group == group

    data["position"] = "Deputy Minister"
    client.post(url(program, f"participants/{person.pk}/"), data)
    person.refresh_from_db()
    assert person.position == "Deputy Minister"


def test_participant_add_duplicate_email_and_bad_zone_are_field_errors(client, program, group):
    ParticipantFactory(program=program, group=group, email="taken@example.org")
    data = {
        "first_name": "A", "last_name": "B", "email": "taken@example.org", "language": "ru",
        "home_timezone": "Mars/Olympus",
    }  # fmt: skip

    response = client.post(url(program, "participants/new/"), data)

    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_home_timezone_error"' in body
    assert Participant.objects.count() == 1


def test_participant_foreign_group_in_tampered_post_is_a_form_error(client, program):
    foreign = ProjectGroupFactory(program=ProgramFactory())
    data = {"first_name": "A", "last_name": "B", "email": "a@example.org", "language": "ru", "group": foreign.pk}

    response = client.post(url(program, "participants/new/"), data)

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Participant.objects.count() == 0


def test_participant_move_between_groups(client, program, group, other_group):
    people = ParticipantFactory.create_batch(2, program=program, group=group)
    stay = ParticipantFactory(program=program, group=group)

    response = client.post(
        url(program, "participants/move/"), {"participants": [p.pk for p in people], "group": other_group.pk}
    )

    assert response.status_code == 302
    assert set(Participant.objects.filter(group=other_group).values_list("pk", flat=True)) == {p.pk for p in people}
    stay.refresh_from_db()
    assert stay.group == group


def test_participant_move_refuses_someone_of_another_program(client, program, group, other_group):
    outsider = ParticipantFactory()

    client.post(url(program, "participants/move/"), {"participants": [outsider.pk], "group": other_group.pk})

    outsider.refresh_from_db()
    assert outsider.group.program != program


def test_participant_export_protects_against_formulas(client, program, group):
    ParticipantFactory(program=program, group=group, last_name='=HYPERLINK("http://evil")', phone="+7 900 000")

    response = client.get(url(program, "participants/export.csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["given_name", "family_name", "patronymic", "email"]
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][4] == "'+7 900 000"
    assert rows[1][10] == group.name


def test_participant_import_csv_preview_then_import(client, program, group):
    content = (HEADER + f"Irina,Sokolova,,irina@example.org,,,,,ru,Asia/Tomsk,{group.name},\n"
               "Oleg,Petrov,,oleg@example.org,,,,,en,,,\n").encode()  # fmt: skip

    preview = upload(client, program, "people.csv", content)

    assert preview.status_code == 200
    assert "Import all rows" in preview.content.decode()
    assert Participant.objects.count() == 0

    done = client.post(url(program, "participants/import/"), {"confirm": "all"})

    assert done.status_code == 302
    irina = Participant.objects.get(email="irina@example.org")
    assert irina.group == group
    assert irina.home_timezone == "Asia/Tomsk"
    assert Participant.objects.get(email="oleg@example.org").language == "en"


def test_participant_import_reports_every_bad_row_and_imports_nothing(client, program, group):
    ParticipantFactory(program=program, group=group, email="taken@example.org")
    content = (HEADER + "Irina,Sokolova,,irina@example.org,,,,,ru,,,\n"
               ",Petrov,,not-an-email,,,,,xx,Mars/Base,Group 99,\n"
               "Anna,Belova,,taken@example.org,,,,,ru,,,\n").encode()  # fmt: skip

    preview = upload(client, program, "people.csv", content).content.decode()

    assert "given_name: This column is required." in preview
    assert "“not-an-email” is not an e-mail address." in preview
    assert "language: Use one of: en, ru, kk." in preview
    assert "“Mars/Base” is not a time zone" in preview
    assert "There is no group “Group 99” in this program." in preview
    assert "already in the program" in preview
    assert "Import all rows" not in preview

    refused = client.post(url(program, "participants/import/"), {"confirm": "all"})
    assert refused.status_code == 400
    assert Participant.objects.count() == 1

    client.post(url(program, "participants/import/"), {"confirm": "valid"})
    assert set(Participant.objects.values_list("email", flat=True)) == {"taken@example.org", "irina@example.org"}


def test_participant_import_xlsx(client, program, group):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Given name", "Family name", "E-mail", "Group", "Language"])
    sheet.append(["Aliya", "Sadykova", "aliya@example.org", group.name, "kk"])
    buffer = io.BytesIO()
    book.save(buffer)

    preview = upload(client, program, "people.xlsx", buffer.getvalue())
    assert "Import all rows" in preview.content.decode()
    client.post(url(program, "participants/import/"), {"confirm": "all"})

    aliya = Participant.objects.get(email="aliya@example.org")
    assert (aliya.last_name, aliya.group, aliya.language) == ("Sadykova", group, "kk")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.xlsx", b"PK\x03\x04 this is no workbook", "The XLSX workbook cannot be read"),
        ("people.xlsx", b"given_name,family_name,email\n", "This is not an XLSX workbook."),
        ("people.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file."),
        ("people.csv", b"\xff\xfe\x00g\x00i", "The CSV file is saved as UTF-16"),
        ("people.csv", b"\x00\x01\x02junk\x03", "This is not a text CSV file"),
        ("people.csv", b"name,surname\nA,B\n", "missing: given_name, family_name, email"),
        ("people.csv", HEADER.encode(), "The file has a header but no participants."),
        ("people.csv", b"", "The submitted file is empty."),
    ],
)
def test_participant_import_bad_files_are_refused_clearly(client, program, name, content, message):
    response = upload(client, program, name, content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Participant.objects.count() == 0


def test_participant_import_oversized_file_is_refused(client, program):
    response = upload(client, program, "people.csv", HEADER.encode() + b"x" * (2 * 1024 * 1024 + 10))

    assert response.status_code == 400
    assert "The file is too large" in response.content.decode()


def test_participant_import_roundtrips_an_export(client, program, group):
    ParticipantFactory(program=program, group=group, email="a@example.org", phone="+7 900 111")
    exported = client.get(url(program, "participants/export.csv")).content
    other = ProgramFactory()
    ProjectGroupFactory(program=other, name=group.name)
    other.organisers.add(*program.organisers.all())

    upload(client, other, "export.csv", exported)
    client.post(url(other, "participants/import/"), {"confirm": "all"})

    copy = Participant.objects.get(program=other)
    assert copy.phone == "+7 900 111"
    assert copy.group.name == group.name


def test_participant_import_csv_from_russian_excel(client, program, group):
    content = f"given_name;family_name;email;group\nИрина;Соколова;irina@example.org;{group.name}\n".encode("cp1251")

    preview = upload(client, program, "people.csv", content)

    assert preview.status_code == 200
    assert "Соколова" in preview.content.decode()
    client.post(url(program, "participants/import/"), {"confirm": "all"})
    irina = Participant.objects.get(email="irina@example.org")
    assert (irina.first_name, irina.last_name, irina.group) == ("Ирина", "Соколова", group)


def test_participant_import_dimension_bomb_is_refused_with_a_message(client, program):
    header = cell("A1", "given_name") + cell("B1", "family_name") + cell("C1", "email")
    content = workbook({1: header, 1048576: cell("A1048576", "Irina")}, dimension="A1:XFD1048576")

    response = upload(client, program, "people.xlsx", content)

    assert response.status_code == 400
    assert "The sheet goes on past row 5000" in response.content.decode()
    assert Participant.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "1 participant imported; 1 row skipped."),
        ("ru", "Импортирован 1 участник; пропущена 1 строка."),
    ],
)
def test_participant_import_message_counts_in_the_singular(client, program, language, message):
    content = (HEADER + "Irina,Sokolova,,irina@example.org,,,,,ru,,,\n"
               "Oleg,Petrov,,not-an-email,,,,,ru,,,\n").encode()  # fmt: skip
    upload(client, program, "people.csv", content)

    done = client.post(
        url(program, "participants/import/"), {"confirm": "valid"}, follow=True, HTTP_ACCEPT_LANGUAGE=language
    )

    assert message in done.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "5 participants imported; 0 rows skipped."),
        ("ru", "Импортировано 5 участников; пропущено 0 строк."),
    ],
)
def test_participant_import_message_counts_in_the_plural(client, program, language, message):
    content = (HEADER + "".join(f"P{index},Petrov,,p{index}@example.org,,,,,ru,,,\n" for index in range(5))).encode()
    upload(client, program, "people.csv", content)

    done = client.post(
        url(program, "participants/import/"), {"confirm": "all"}, follow=True, HTTP_ACCEPT_LANGUAGE=language
    )

    assert message in done.content.decode()


@pytest.mark.parametrize(
    ("language", "count", "message"),
    [
        ("en", 1, "1 participant moved to Group 2: Demography."),
        ("en", 2, "2 participants moved to Group 2: Demography."),
        ("ru", 1, "1 участник переведён в «Group 2: Demography»."),
        ("ru", 2, "2 участника переведены в «Group 2: Demography»."),
    ],
)
def test_participant_move_message_counts(client, program, group, other_group, language, count, message):
    people = ParticipantFactory.create_batch(count, program=program, group=group)

    done = client.post(
        url(program, "participants/move/"),
        {"participants": [p.pk for p in people], "group": other_group.pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert message in done.content.decode()


def test_participant_import_preview_numbers_rows_as_in_the_file(client, program):
    content = (HEADER + "Irina,Sokolova,,irina@example.org,,,,,ru,,,\n\n,,,,,,,,,,,\n"
               "Oleg,Petrov,,not-an-email,,,,,ru,,,\n").encode()  # fmt: skip

    preview = upload(client, program, "people.csv", content).content.decode()

    assert '<tr class="row--error">\n        <td>5</td>' in preview


def test_participant_move_with_an_id_that_is_no_id_moves_nobody(client, program, group, other_group):
    person = ParticipantFactory(program=program, group=group)

    response = client.post(
        url(program, "participants/move/"),
        {"participants": [person.pk, "99999999999999999999999"], "group": other_group.pk},
        follow=True,
    )

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.group == group

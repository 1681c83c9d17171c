"""POST /api/v1/programs/{slug}/participants/import/: a spreadsheet upload, previewed or
written through the participant services, with the page's limits and messages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from participants import importing
from participants.models import Participant
from partners.models import WebhookDelivery
from partners.services import webhook_create
from tests.factories import ParticipantFactory, ProgramFactory
from tests.workbooks import cell, workbook

pytestmark = pytest.mark.django_db

HEADER = "given_name,family_name,email,group\n"
# Declares the largest sheet there is, and holds a row at its very end.
BOMB = workbook(
    {1: cell("A1", "given_name") + cell("B1", "family_name") + cell("C1", "email"), 1048576: cell("A1048576", "Irina")},
    dimension="A1:XFD1048576",
)


def csv_file(*lines: str, name: str = "people.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + "".join(f"{line}\n" for line in lines)).encode(encoding))


def post_import(api: APIClient, program, upload, **fields):
    return api.post(
        f"/api/v1/programs/{program.slug}/participants/import/", {"file": upload, **fields}, format="multipart"
    )


@pytest.fixture
def mixed(group):
    """Two good rows around one with a bad e-mail and an unknown group."""
    return lambda: csv_file(
        f"Irina,Sokolova,irina@example.org,{group.name}",
        "Oleg,Petrov,not-an-email,Group 99",
        "Anna,Belova,anna@example.org,",
    )


@pytest.fixture
def deliveries(api):
    """The webhook deliveries of participant.created recorded for the API's client."""
    webhook_create(client=api.partner, url="https://hr.example/hook", events=["participant.created"])
    return lambda: WebhookDelivery.objects.filter(event="participant.created")


def test_import_preview_reports_every_row_and_writes_nothing(program, api, mixed, deliveries):
    response = post_import(api, program, mixed())

    assert response.status_code == 200
    assert response.json() == {
        "created": 0,
        "rows": [
            {"row": 2, "ok": True, "errors": {}},
            {
                "row": 3,
                "ok": False,
                "errors": {
                    "email": ["“not-an-email” is not an e-mail address."],
                    "group": ["There is no group “Group 99” in this program."],
                },
            },
            {"row": 4, "ok": True, "errors": {}},
        ],
    }
    assert not Participant.objects.exists()
    assert not deliveries().exists()


def test_import_all_with_an_invalid_row_writes_nothing(program, api, mixed, deliveries):
    response = post_import(api, program, mixed(), mode="all")

    assert response.status_code == 200
    body = response.json()
    assert body["created"] == 0
    assert [row["ok"] for row in body["rows"]] == [True, False, True]
    assert not Participant.objects.exists()
    assert not deliveries().exists()


def test_import_all_of_valid_rows_writes_them_all(program, group, api, deliveries):
    upload = csv_file(f"Irina,Sokolova,irina@example.org,{group.name}", "Anna,Belova,anna@example.org,")

    response = post_import(api, program, upload, mode="all")

    assert response.status_code == 200
    assert response.json()["created"] == 2
    irina = Participant.objects.get(program=program, email="irina@example.org")
    assert (irina.first_name, irina.last_name, irina.group) == ("Irina", "Sokolova", group)
    assert Participant.objects.filter(program=program).count() == 2
    assert sorted(d.payload["email"] for d in deliveries()) == ["anna@example.org", "irina@example.org"]


def test_import_valid_writes_only_the_valid_rows(program, api, mixed, deliveries):
    response = post_import(api, program, mixed(), mode="valid")

    assert response.status_code == 200
    body = response.json()
    assert body["created"] == 2
    assert [(row["row"], row["ok"]) for row in body["rows"]] == [(2, True), (3, False), (4, True)]
    assert set(Participant.objects.values_list("email", flat=True)) == {"irina@example.org", "anna@example.org"}
    assert sorted(d.payload["email"] for d in deliveries()) == ["anna@example.org", "irina@example.org"]


def test_import_reads_russian_excel_csv(program, api):
    upload = SimpleUploadedFile(
        "people.csv", "given_name;family_name;email\nИрина;Соколова;irina@example.org\n".encode("cp1251")
    )

    response = post_import(api, program, upload, mode="all")

    assert response.status_code == 200
    assert response.json()["created"] == 1
    assert Participant.objects.get().last_name == "Соколова"


def test_import_an_email_already_in_the_program_is_a_row_error(program, api):
    ParticipantFactory(program=program, email="irina@example.org")

    response = post_import(api, program, csv_file("Irina,Sokolova,irina@example.org,"), mode="valid")

    assert response.json() == {
        "created": 0,
        "rows": [
            {"row": 2, "ok": False, "errors": {"email": ["A participant with this e-mail is already in the program."]}}
        ],
    }


@pytest.mark.parametrize(
    ("upload", "detail"),
    [
        (
            lambda: SimpleUploadedFile("people.csv", HEADER.encode() + b"x" * (importing.MAX_UPLOAD_BYTES + 1)),
            "The file is too large (2048 KB); the limit is 2048 KB.",
        ),
        (
            lambda: SimpleUploadedFile("people.xlsx", BOMB),
            "The sheet goes on past row 5000; the participants must be in the first 5000 rows. "
            "Delete the rows below them, or copy them into a new workbook.",
        ),
        (
            lambda: SimpleUploadedFile("people.csv", ("given_name,family_name,email," + "x," * 60 + "\n").encode()),
            "Row 1 has a value in column 51; the import reads at most 50 columns.",
        ),
        (
            lambda: SimpleUploadedFile(
                "people.csv", HEADER.encode("utf-16") + "Irina,S,i@example.org,\n".encode("utf-16")
            ),
            "The CSV file is saved as UTF-16; save it as “CSV UTF-8” or as “CSV (semicolon delimited)”.",
        ),
        (
            lambda: SimpleUploadedFile("people.csv", b"\x00\x01\x02\x03junk"),
            "This is not a text CSV file: it is neither UTF-8 nor Windows-1251 text.",
        ),
        (lambda: SimpleUploadedFile("people.pdf", b"%PDF-1.4"), "Upload a .csv or .xlsx file."),
        (lambda: csv_file(), "The file has a header but no participants."),
    ],
)
def test_import_file_refused_as_a_whole_answers_400_naming_the_problem(program, api, upload, detail):
    response = post_import(api, program, upload(), mode="all")

    assert response.status_code == 400
    assert response.json() == {"detail": detail, "errors": {"file": [detail]}}
    assert not Participant.objects.exists()


def test_import_file_of_too_many_rows_answers_400(program, api):
    lines = [f"P{index},Petrov,p{index}@example.org," for index in range(importing.MAX_ROWS + 1)]

    response = post_import(api, program, csv_file(*lines), mode="valid")

    assert response.status_code == 400
    assert response.json()["detail"] == "The file has more than 2000 rows; split it."
    assert not Participant.objects.exists()


def test_import_unknown_mode_and_missing_file_answer_400_naming_the_field(program, api, mixed):
    unknown_mode = post_import(api, program, mixed(), mode="everything")
    no_file = api.post(f"/api/v1/programs/{program.slug}/participants/import/", {"mode": "all"}, format="multipart")

    assert unknown_mode.status_code == 400
    assert list(unknown_mode.json()["errors"]) == ["mode"]
    assert no_file.status_code == 400
    assert list(no_file.json()["errors"]) == ["file"]
    assert not Participant.objects.exists()


def test_import_json_body_answers_415(program, api):
    response = api.post(f"/api/v1/programs/{program.slug}/participants/import/", {"mode": "all"}, format="json")

    assert response.status_code == 415
    assert "multipart/form-data" in response.json()["detail"]


def test_import_read_only_token_is_refused(program, read_api, mixed):
    response = post_import(read_api, program, mixed(), mode="valid")

    assert response.status_code == 403
    assert "read scope only" in response.json()["detail"]
    assert not Participant.objects.exists()


def test_import_token_limited_to_another_program_is_refused(program, make_api, mixed):
    limited = make_api(programs=[ProgramFactory()])

    response = post_import(limited, program, mixed(), mode="valid")

    assert response.status_code == 404
    assert not Participant.objects.exists()


def test_import_token_limited_to_the_program_may_import(program, make_api, mixed):
    limited = make_api(programs=[program])

    response = post_import(limited, program, mixed(), mode="valid")

    assert response.status_code == 200
    assert response.json()["created"] == 2


def test_import_without_credentials_answers_401(program, mixed):
    response = post_import(APIClient(), program, mixed(), mode="valid")

    assert response.status_code == 401
    assert not Participant.objects.exists()


def test_import_rows_are_numbered_as_in_the_file_across_blank_lines(program, api):
    upload = csv_file("Irina,Sokolova,irina@example.org,", ",,,", "", "Oleg,Petrov,not-an-email,")

    response = post_import(api, program, upload)

    assert [(row["row"], row["ok"]) for row in response.json()["rows"]] == [(2, True), (5, False)]


def test_import_refusal_speaks_the_callers_language(program, api):
    upload = SimpleUploadedFile("people.csv", (HEADER + "Irina,S,i@example.org,\n").encode("utf-16"))

    response = api.post(
        f"/api/v1/programs/{program.slug}/participants/import/",
        {"file": upload},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Файл CSV сохранён в кодировке UTF-16; сохраните его как «CSV UTF-8» "
        "или как «CSV (разделители — точки с запятой)»."
    )

"""Reading uploaded spreadsheets: hostile workbooks are refused after a bounded read,
CSV files from Russian Excel (Windows-1251, semicolons) are understood."""

import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from participants import importing
from participants.importing import ImportFileError, read_upload
from tests.workbooks import cell, workbook

HEADER_CELLS = cell("A1", "given_name") + cell("B1", "family_name") + cell("C1", "email")


def person_cells(row: int, first: str = "Irina", last: str = "Sokolova", email: str = "irina@example.org") -> str:
    return cell(f"A{row}", first) + cell(f"B{row}", last) + cell(f"C{row}", email)


@pytest.fixture
def rows_read(monkeypatch):
    """The widths of the rows the reader takes from openpyxl, failing as soon as it takes
    more than any file may make it read."""
    widths: list[int] = []
    original = ReadOnlyWorksheet.iter_rows

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            widths.append(len(row))
            assert len(widths) <= importing.MAX_SHEET_ROWS + 1, "read past the row bound"
            assert len(row) <= importing.MAX_COLUMNS + 1, "read past the column bound"
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counting)
    return widths


def test_read_upload_handwritten_workbook_gives_its_rows(rows_read):
    content = workbook({1: HEADER_CELLS, 2: person_cells(2)})

    rows = read_upload(name="people.xlsx", content=content)

    assert [(row["given_name"], row["family_name"], row["email"]) for row in rows] == [
        ("Irina", "Sokolova", "irina@example.org")
    ]
    assert len(rows_read) == 2


def test_read_upload_dimension_bomb_is_refused_after_a_bounded_read(rows_read):
    content = workbook(
        {1: HEADER_CELLS, 2: person_cells(2), 1048576: person_cells(1048576, email="last@example.org")},
        dimension="A1:XFD1048576",
    )
    assert len(content) < 3000

    with pytest.raises(ImportFileError) as refused:
        read_upload(name="bomb.xlsx", content=content)

    assert str(refused.value) == (
        f"The sheet goes on past row {importing.MAX_SHEET_ROWS}; the participants must be in the first "
        f"{importing.MAX_SHEET_ROWS} rows. Delete the rows below them, or copy them into a new workbook."
    )
    assert len(rows_read) <= importing.MAX_SHEET_ROWS + 1
    assert max(rows_read) <= importing.MAX_COLUMNS + 1


def test_read_upload_workbook_with_too_many_columns_is_refused(rows_read):
    far = importing.MAX_COLUMNS + 1
    content = workbook({1: HEADER_CELLS + cell(f"{get_column_letter(far)}1", "extra"), 2: person_cells(2)})

    with pytest.raises(ImportFileError) as refused:
        read_upload(name="people.xlsx", content=content)

    assert str(refused.value) == (
        f"Row 1 has a value in column {far}; the import reads at most {importing.MAX_COLUMNS} columns."
    )


def test_read_upload_cell_far_to_the_right_is_refused_without_reading_the_columns_between(rows_read):
    content = workbook({1: HEADER_CELLS, 2: person_cells(2) + cell("XFD2", "far away")}, dimension="A1:XFD2")

    rows = read_upload(name="people.xlsx", content=content)

    # Column XFD lies beyond the bound, so it is never read; what is within is imported.
    assert [row["email"] for row in rows] == ["irina@example.org"]
    assert max(rows_read) <= importing.MAX_COLUMNS + 1


def test_read_upload_workbook_that_unpacks_too_large_is_refused():
    content = workbook({1: HEADER_CELLS, 2: person_cells(2)}, padding=importing.MAX_UNPACKED_BYTES)
    assert len(content) < importing.MAX_UPLOAD_BYTES

    with pytest.raises(ImportFileError) as refused:
        read_upload(name="people.xlsx", content=content)

    assert str(refused.value) == (
        f"The workbook unpacks to more than {importing.MAX_UNPACKED_BYTES // (1024 * 1024)} MB; "
        "save the participants alone in a new workbook."
    )


RUSSIAN = (
    "given_name;family_name;patronymic;email\nИрина;Соколова;Петровна;irina@example.org\nОлег;Ёлкин;;oleg@example.org\n"
)


@pytest.mark.parametrize(
    ("content", "label"),
    [
        (RUSSIAN.encode("cp1251"), "Windows-1251, semicolons (Russian Excel's “CSV”)"),
        (RUSSIAN.encode("utf-8"), "UTF-8, semicolons"),
        ("\ufeff".encode() + RUSSIAN.encode("utf-8"), "UTF-8 with a byte order mark (Excel's “CSV UTF-8”)"),
        (RUSSIAN.replace(";", ",").encode("cp1251"), "Windows-1251, commas"),
    ],
)
def test_read_upload_csv_in_the_encodings_of_russian_excel(content, label):
    rows = read_upload(name="people.csv", content=content)

    assert [(row["given_name"], row["family_name"], row["patronymic"], row["email"]) for row in rows] == [
        ("Ирина", "Соколова", "Петровна", "irina@example.org"),
        ("Олег", "Ёлкин", "", "oleg@example.org"),
    ], label


def test_read_upload_csv_semicolons_with_commas_in_the_values():
    content = "given_name;family_name;email;organisation\nИрина;Соколова;irina@example.org;Минфин, отдел 2\n"

    rows = read_upload(name="people.csv", content=content.encode("cp1251"))

    assert rows[0]["organisation"] == "Минфин, отдел 2"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            RUSSIAN.encode("utf-16"),
            "The CSV file is saved as UTF-16; save it as “CSV UTF-8” or as “CSV (semicolon delimited)”.",
        ),
        (
            RUSSIAN.encode("utf-16-le"),
            "The CSV file is saved as UTF-16; save it as “CSV UTF-8” or as “CSV (semicolon delimited)”.",
        ),
        (
            b"given_name,family_name,email\n\x89PNG\r\n\x1a\n\x01\x02\x03\x98\x04",
            "This is not a text CSV file: it is neither UTF-8 nor Windows-1251 text.",
        ),
        (
            b"given_name,family_name,email\nIrina,Sokolova,irina@example.org\x07\x1b[31m\n",
            "This is not a text CSV file: it is neither UTF-8 nor Windows-1251 text.",
        ),
    ],
)
def test_read_upload_csv_in_other_encodings_is_refused(content, message):
    with pytest.raises(ImportFileError) as refused:
        read_upload(name="people.csv", content=content)

    assert str(refused.value) == message


@pytest.mark.parametrize(
    "text",
    [RUSSIAN, "given_name;family_name;email\nАнна;Белова;anna@example.org\nОлег;Ёлкин;oleg@example.org\n"],
)
def test_read_upload_csv_utf8_with_a_damaged_byte_is_refused_not_read_as_windows_1251(text):
    content = text.encode("utf-8").replace("Олег".encode(), "Олег".encode()[:-1])

    with pytest.raises(ImportFileError) as refused:
        read_upload(name="people.csv", content=content)

    assert str(refused.value) == (
        "The CSV file is UTF-8 with a damaged character on line 3; save it again as “CSV UTF-8”."
    )


def test_read_upload_csv_with_too_many_columns_is_refused():
    extra = ",".join(f"extra{index}" for index in range(importing.MAX_COLUMNS))
    content = f"given_name,family_name,email,{extra}\nIrina,Sokolova,irina@example.org\n".encode()

    with pytest.raises(ImportFileError) as refused:
        read_upload(name="people.csv", content=content)

    assert str(refused.value) == (
        f"Row 1 has a value in column {importing.MAX_COLUMNS + 1}; "
        f"the import reads at most {importing.MAX_COLUMNS} columns."
    )


def test_read_upload_csv_trailing_empty_columns_are_ignored():
    content = "given_name,family_name,email" + "," * 200 + "\nIrina,Sokolova,irina@example.org" + "," * 200 + "\n"

    rows = read_upload(name="people.csv", content=content.encode())

    assert [row["email"] for row in rows] == ["irina@example.org"]


def test_read_upload_workbook_with_a_broken_sheet_is_refused():
    content = workbook({1: HEADER_CELLS, 2: '<c r="A2" t="inlineStr"><is><t>Irina</is></c>'})

    with pytest.raises(ImportFileError) as refused:
        read_upload(name="people.xlsx", content=content)

    assert str(refused.value).startswith("The XLSX workbook cannot be read: mismatched tag")

"""The one CSV writer: every export neutralises formulas and starts with a BOM."""

import csv
import io

import pytest

from internship_portal.spreadsheets import csv_bytes, csv_safe, csv_unquote


@pytest.mark.parametrize("value", ["=1+1", "+7 700", "-5", "@A1", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_run_is_written_as_text_and_reads_back(value):
    assert csv_safe(value) == "'" + value
    assert csv_unquote(csv_safe(value)) == value


def test_plain_cells_are_kept_and_the_file_opens_with_a_bom():
    body = csv_bytes(header=["name", "note"], rows=[["Айгерим", "=cmd|' /C calc'!A0"], [None, 42]])

    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [["name", "note"], ["Айгерим", "'=cmd|' /C calc'!A0"], ["", "42"]]

"""The one CSV (and XLSX) writer of every export: participants, visitor lists, host-briefing attachments,
survey responses.

Every cell is neutralised against formula injection: a value that a spreadsheet would run
as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a
leading apostrophe, which spreadsheets show as text. The file starts with a byte order mark,
without which spreadsheet programs read UTF-8 Cyrillic as mojibake.
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def csv_safe(value: Any) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_unquote(text: str) -> str:
    """Undo `csv_safe`'s apostrophe, so that an exported file imports back unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_text(*, header: Iterable[Any] | None, rows: Iterable[Iterable[Any]]) -> str:
    """The rows (after the header, if any) as CSV text with a BOM, every cell neutralised."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    if header is not None:
        writer.writerow([csv_safe(cell) for cell in header])
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def csv_bytes(*, header: Iterable[Any] | None, rows: Iterable[Iterable[Any]]) -> bytes:
    return csv_text(header=header, rows=rows).encode("utf-8")


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def xlsx_bytes(*, sheets: Iterable[tuple[str, Iterable[Any] | None, Iterable[Iterable[Any]]]]) -> bytes:
    """An XLSX workbook with one sheet per (title, header, rows). Text is written as text, never
    as a formula: a cell typed `=HYPERLINK(...)` shows those characters and runs nothing. Numbers
    stay numbers, so a spreadsheet can sum and chart them."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=(str(title).translate(_SHEET_TITLE_FORBIDDEN).strip() or "Sheet")[:31])

        def cells(values: Iterable[Any], *, font: Font | None = None, sheet=sheet) -> list:
            written = []
            for value in values:
                is_number = isinstance(value, int | float) and not isinstance(value, bool)
                # Control characters (which a typed answer may hold) are not allowed in the file's XML.
                text = "" if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))
                cell = WriteOnlyCell(sheet, value=value if is_number else text)
                if not is_number:
                    cell.data_type = "s"  # openpyxl would take a leading "=" for a formula
                if font is not None:
                    cell.font = font
                written.append(cell)
            return written

        if header is not None:
            sheet.append(cells(header, font=bold))
        for row in rows:
            sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

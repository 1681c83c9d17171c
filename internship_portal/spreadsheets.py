"""The one CSV writer of every export: participants, visitor lists, host-briefing attachments,
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

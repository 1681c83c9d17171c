"""Participants in and out of spreadsheets: CSV/XLSX import with a preview and
a per-row error report, and CSV export safe to open in a spreadsheet.

Import is two steps, both behind `participants_import` (the organiser's page
and the API). `read_upload` checks the file (size, type, encoding, shape) and
returns its rows; `validate_rows` checks every row against the program without
writing; `import_rows` writes them through `participants.services` in one
transaction: all of them, or, when the organiser chose so, only the valid ones.
Nothing is written while any row chosen for import is invalid.
"""

import codecs
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from internship_portal.errors import InputRefused
from internship_portal.spreadsheets import csv_unquote
from programs.models import Program
from programs.validators import validate_timezone

from .enums import ImportMode, Language
from .models import Participant, ProjectGroup
from .services import participant_create

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
# A workbook is read in a bounded window whatever its sheet declares: its rows
# beyond MAX_SHEET_ROWS and its columns beyond MAX_COLUMNS are never read, and
# its parts may unpack to MAX_UNPACKED_BYTES at most (a 2 MB zip can hold GBs).
MAX_SHEET_ROWS = 5000
MAX_COLUMNS = 50
MAX_UNPACKED_BYTES = 6 * 1024 * 1024

# Column name in the file → service field. The export writes the first names,
# so an exported file imports back unchanged.
COLUMNS = {
    "given_name": "first_name",
    "family_name": "last_name",
    "patronymic": "patronymic",
    "email": "email",
    "phone": "phone",
    "position": "position",
    "organisation": "organisation",
    "region": "region",
    "language": "language",
    "home_timezone": "home_timezone",
    "group": "group",
    "notes": "notes",
}
ALIASES = {
    "first_name": "given_name",
    "last_name": "family_name",
    "e-mail": "email",
    "organization": "organisation",
    "home_time_zone": "home_timezone",
    "timezone": "home_timezone",
}
REQUIRED = ("given_name", "family_name", "email")
# Each row read also keeps its number in the file under this key (blank rows are
# skipped, so the numbers can jump), for the messages to point at the right row.
ROW_NUMBER = "_row"
Row = dict[str, Any]  # a column's name → its text; ROW_NUMBER → the row's number


class ImportFileError(InputRefused):
    """The file as a whole cannot be read: wrong type, too big, malformed, no header."""

    field = "file"


def _normalise_header(name: Any) -> str:
    key = str(name or "").strip().lower().replace(" ", "_")
    return ALIASES.get(key, key)


def _column_error(row_number: int, cells: list[str]) -> ImportFileError | None:
    beyond = next((index for index, cell in enumerate(cells[MAX_COLUMNS:], start=MAX_COLUMNS + 1) if cell), None)
    if beyond is None:
        return None
    return ImportFileError(
        ngettext(
            "Row %(row)d has a value in column %(column)d; the import reads at most %(max)d column.",
            "Row %(row)d has a value in column %(column)d; the import reads at most %(max)d columns.",
            MAX_COLUMNS,
        )
        % {"row": row_number, "column": beyond, "max": MAX_COLUMNS}
    )


def _rows_from_table(table: Iterable[Iterable[Any]]) -> list[Row]:
    iterator: Iterator = iter(table)
    try:
        header_cells = ["" if cell is None else str(cell).strip() for cell in next(iterator)]
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    if error := _column_error(1, header_cells):
        raise error
    header = [_normalise_header(cell) for cell in header_cells[:MAX_COLUMNS]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns; missing: %(missing)s. Known columns: %(known)s.")
            % {"missing": ", ".join(missing), "known": ", ".join(COLUMNS)}
        )
    rows = []
    for number, values in enumerate(iterator, start=2):
        cells = [csv_unquote("" if value is None else str(value).strip()) for value in values]
        if not any(cells):
            continue
        if error := _column_error(number, cells):
            raise error
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                ngettext(
                    "The file has more than %(max)d row; split it.",
                    "The file has more than %(max)d rows; split it.",
                    MAX_ROWS,
                )
                % {"max": MAX_ROWS}
            )
        row = {name: (cells[index] if index < len(cells) else "") for index, name in enumerate(header)}
        rows.append({**{name: row.get(name, "") for name in COLUMNS}, ROW_NUMBER: number})
    if not rows:
        raise ImportFileError(_("The file has a header but no participants."))
    return rows


def upload_check_size(*, size: int) -> None:
    """Refuse a file of more than MAX_UPLOAD_BYTES, before anyone reads it."""
    if size > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            _("The file is too large (%(size)d KB); the limit is %(limit)d KB.")
            % {"size": size // 1024, "limit": MAX_UPLOAD_BYTES // 1024}
        )


def read_upload(*, name: str, content: bytes) -> list[Row]:
    """The rows of an uploaded CSV or XLSX file, keyed by our column names.

    Raises ImportFileError, with a message for the organiser, for a file that
    cannot be imported as a whole: too large, of another type or encoding, too
    many rows or columns, no header. The work done is bounded by the limits
    above, whatever the file declares."""
    upload_check_size(size=len(content))
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return _read_xlsx(content)
    if lowered.endswith(".csv"):
        return _read_csv(content)
    raise ImportFileError(_("Upload a .csv or .xlsx file."))


# Russian Excel saves "CSV (semicolon delimited)" in Windows-1251 and "CSV UTF-8"
# with a byte order mark; LibreOffice and exports write UTF-8 with commas.
CSV_DELIMITERS = (",", ";", "\t")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
UTF8_CYRILLIC = re.compile(rb"[\xd0\xd1][\x80-\xbf]")


def _looks_like_utf16(content: bytes) -> bool:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        # Latin text in UTF-16 has a zero in every other byte: at odd places in little-endian.
        head = content[:512]
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if len(head) < 4 or max(even, odd) * 3 < len(head) // 2:
            return False
        encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = content[: len(content) // 2 * 2].decode(encoding)
    except UnicodeDecodeError:
        return False
    return not CONTROL_CHARACTERS.search(text)


def _mostly_utf8(content: bytes) -> bool:
    """Whether most non-ASCII bytes pair up as UTF-8 Cyrillic, so that the file is UTF-8
    with a few bad bytes: read as Windows-1251 it would import as «РћР»РµРі» for «Олег».
    In Windows-1251 text such pairs are rare (Р or С followed by punctuation)."""
    high = sum(1 for byte in content if byte >= 0x80)
    pairs = len(UTF8_CYRILLIC.findall(content))
    return high > 0 and pairs * 2 * 2 > high


def _decode_csv(content: bytes) -> str:
    if _looks_like_utf16(content):
        raise ImportFileError(
            _("The CSV file is saved as UTF-16; save it as “CSV UTF-8” or as “CSV (semicolon delimited)”.")
        )
    not_text = ImportFileError(_("This is not a text CSV file: it is neither UTF-8 nor Windows-1251 text."))
    if content.startswith(b"PK\x03\x04"):
        raise not_text
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if _mostly_utf8(content):
            raise ImportFileError(
                _("The CSV file is UTF-8 with a damaged character on line %(line)d; save it again as “CSV UTF-8”.")
                % {"line": content[: exc.start].count(b"\n") + 1}
            ) from None
        try:
            text = content.decode("cp1251")
        except UnicodeDecodeError:
            raise not_text from None
    if CONTROL_CHARACTERS.search(text):
        raise not_text
    return text


def _csv_delimiter(text: str) -> str:
    """The delimiter that makes the first row name the most of our columns (a comma on a tie)."""
    first_line = text.split("\n", 1)[0]

    def known_columns(delimiter: str) -> int:
        try:
            names = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            return 0
        return sum(1 for name in names if _normalise_header(name) in COLUMNS)

    return max(CSV_DELIMITERS, key=known_columns)


def _read_csv(content: bytes) -> list[Row]:
    text = _decode_csv(content)
    try:
        return _rows_from_table(csv.reader(io.StringIO(text), delimiter=_csv_delimiter(text)))
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from None


# What openpyxl raises on a damaged workbook, while opening it or reading its rows.
XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    ElementTree.ParseError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    OSError,
    EOFError,
)


def _bounded_rows(rows: Iterable[tuple]) -> Iterator[tuple]:
    for number, row in enumerate(rows, start=1):
        if number > MAX_SHEET_ROWS:
            raise ImportFileError(
                ngettext(
                    "The sheet goes on past row %(max)d; the participants must be in the first %(max)d row. "
                    "Delete the rows below them, or copy them into a new workbook.",
                    "The sheet goes on past row %(max)d; the participants must be in the first %(max)d rows. "
                    "Delete the rows below them, or copy them into a new workbook.",
                    MAX_SHEET_ROWS,
                )
                % {"max": MAX_SHEET_ROWS}
            )
        yield row


def _read_xlsx(content: bytes) -> list[Row]:
    from openpyxl import load_workbook

    if not content.startswith(b"PK\x03\x04"):
        raise ImportFileError(_("This is not an XLSX workbook."))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # Reading stops at each part's declared size, so the declared sizes bound the work.
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise ImportFileError(
                _("The workbook unpacks to more than %(limit)d MB; save the participants alone in a new workbook.")
                % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)}
            )
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # The declared dimension is the file's claim, not a fact: read what is there, within bounds.
            sheet.reset_dimensions()
            return _rows_from_table(_bounded_rows(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)))
        finally:
            workbook.close()
    except XLSX_ERRORS as exc:
        raise ImportFileError(_("The XLSX workbook cannot be read: %(error)s") % {"error": exc}) from None


@dataclass
class RowResult:
    number: int  # as the organiser counts rows in the file: the header is row 1
    values: Row
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_text(self) -> str:
        return "; ".join(f"{column}: {' '.join(messages)}" for column, messages in self.errors.items())


def _add(errors: dict[str, list[str]], column: str, message: str) -> None:
    errors.setdefault(column, []).append(message)


def validate_rows(*, program: Program, rows: list[Row]) -> list[RowResult]:
    """Check every row against the program (groups, e-mails already taken, duplicates in the file)."""
    groups = {group.name.casefold(): group for group in ProjectGroup.objects.filter(program=program)}
    taken = {email.casefold() for email in Participant.objects.filter(program=program).values_list("email", flat=True)}
    seen: dict[str, int] = {}
    results = []
    for index, values in enumerate(rows, start=2):
        number = values.get(ROW_NUMBER, index)
        errors: dict[str, list[str]] = {}
        for column in REQUIRED:
            if not values.get(column):
                _add(errors, column, _("This column is required."))
        email = values.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                _add(errors, "email", _("“%(value)s” is not an e-mail address.") % {"value": email})
            else:
                key = email.casefold()
                if key in taken:
                    _add(errors, "email", _("A participant with this e-mail is already in the program."))
                elif key in seen:
                    _add(errors, "email", _("The same e-mail is on row %(row)d.") % {"row": seen[key]})
                else:
                    seen[key] = number
        language = values.get("language", "").lower()
        if language and language not in Language.values:
            _add(errors, "language", _("Use one of: %(codes)s.") % {"codes": ", ".join(Language.values)})
        zone = values.get("home_timezone", "")
        if zone:
            try:
                validate_timezone(zone)
            except ValidationError:
                _add(errors, "home_timezone", _("“%(value)s” is not a time zone such as Asia/Tomsk.") % {"value": zone})
        group_name = values.get("group", "")
        if group_name and group_name.casefold() not in groups:
            _add(errors, "group", _("There is no group “%(name)s” in this program.") % {"name": group_name})
        for column, model_field in COLUMNS.items():
            if model_field == "group":
                continue
            limit = getattr(Participant._meta.get_field(model_field), "max_length", None)
            if limit and len(values.get(column, "")) > limit:
                message = ngettext("At most %(limit)d character.", "At most %(limit)d characters.", limit)
                _add(errors, column, message % {"limit": limit})
        results.append(RowResult(number=number, values=values, errors=errors))
    return results


def _service_fields(values: Row, groups: dict[str, ProjectGroup]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for column, model_field in COLUMNS.items():
        value = values.get(column, "")
        if model_field == "group":
            fields["group"] = groups.get(value.casefold()) if value else None
        elif model_field == "language":
            fields["language"] = value.lower() or Language.RU
        else:
            fields[model_field] = value
    return fields


@transaction.atomic
def import_rows(*, program: Program, rows: list[Row], only_valid: bool) -> tuple[int, list[RowResult]]:
    """Create the participants of these rows. Returns (how many were created, the row results).

    Rows are validated again here, since the program may have changed since
    the preview. Unless `only_valid`, any invalid row means nothing is written."""
    results = validate_rows(program=program, rows=rows)
    if not only_valid and any(not result.ok for result in results):
        return 0, results
    groups = {group.name.casefold(): group for group in ProjectGroup.objects.filter(program=program)}
    created = 0
    for result in results:
        if not result.ok:
            continue
        try:
            with transaction.atomic():
                participant_create(program=program, **_service_fields(result.values, groups))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                column = next((col for col, model_field in COLUMNS.items() if model_field == name), name)
                for message in messages:
                    _add(result.errors, column, message)
            if not only_valid:
                transaction.set_rollback(True)
                return 0, results
            continue
        created += 1
    return created, results


@dataclass
class ImportOutcome:
    rows: list[Row]  # as read from the file, for a later `import_rows`
    results: list[RowResult]
    created: int


def participants_import(*, program: Program, name: str, content: bytes, mode: ImportMode) -> ImportOutcome:
    """Read an uploaded file and check its rows; unless `mode` is preview, write them
    (see `import_rows`: all or none, or only the valid ones). The organiser's page and
    the API both import through here.

    Raises ImportFileError, writing nothing, when the file cannot be read as a whole."""
    rows = read_upload(name=name, content=content)
    if mode == ImportMode.PREVIEW:
        return ImportOutcome(rows=rows, results=validate_rows(program=program, rows=rows), created=0)
    created, results = import_rows(program=program, rows=rows, only_valid=mode == ImportMode.VALID)
    return ImportOutcome(rows=rows, results=results, created=created)


def export_rows(participants: Iterable[Participant]) -> Iterator[list[str]]:
    """The header, then one row per participant, every cell made formula-safe."""
    yield list(COLUMNS)
    for person in participants:
        values = {
            "given_name": person.first_name,
            "family_name": person.last_name,
            "patronymic": person.patronymic,
            "email": person.email,
            "phone": person.phone,
            "position": person.position,
            "organisation": person.organisation,
            "region": person.region,
            "language": person.language,
            "home_timezone": person.home_timezone,
            "group": person.group.name if person.group_id else "",
            "notes": person.notes,
        }
        yield [values[column] for column in COLUMNS]

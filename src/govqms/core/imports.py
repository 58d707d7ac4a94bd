"""The format-level parts of every spreadsheet / CSV import.

The rule of every import (DESIGN.md): validate everything first, then apply in one
transaction; re-importing the same file changes nothing; every error names the file,
the row (as Excel shows it: the header is row 1) and the column. This module holds
what does not depend on what is imported:

* reading an upload, a path or bytes within the size limit (`read_bytes`) and naming
  it in messages (`display_name`);
* deciding XLSX or CSV by content, never by the name (`read_rows`), reading the first
  sheet of a workbook (`read_xlsx`) or a CSV file as UTF-8 with an encoding error
  that names its row and column (`read_csv`, `guess_delimiter`);
* header matching whatever the accents, case, spaces or punctuation (`header_key`)
  and column letters as Excel shows them (`column_letter`);
* the issue and result types (`ImportIssue`, `RowOutcome`, `ImportResult`) and the
  exception that stops a file at once (`FileProblem`, made by `file_issue`);
* cell parsing that every import shares (`clean_cell`, `parse_date`, `parse_bool`,
  `parse_decimal`).

What is imported (the columns, the kinds, planning and applying) stays with each
importer: `organizations.imports`, `procedures.imports`, `dossiers.imports`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govqms.core.text import fold

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_INFLATION",
    "OLE2_MAGIC",
    "XLSX_SUFFIXES",
    "ZIP_MAGIC",
    "FileProblem",
    "ImportIssue",
    "ImportResult",
    "RowOutcome",
    "clean_cell",
    "column_letter",
    "display_name",
    "file_issue",
    "guess_delimiter",
    "header_key",
    "parse_bool",
    "parse_date",
    "parse_decimal",
    "read_bytes",
    "read_csv",
    "read_rows",
    "read_xlsx",
]

XLSX_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
# An .xlsx is a zip: refuse one that inflates to more than this many times the size limit.
MAX_INFLATION = 20

Table = list[tuple[int, list[Any]]]


# ---------------------------------------------------------------- headers and columns


def header_key(text: str) -> str:
    """Header / keyword matching key: folded (no accents, lower case), only letters
    and digits. "Mã cấp trên", "ma_cap_tren" and "MA CAP TREN" give the same key."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def column_letter(index: int) -> str:
    """The column letter of a 0-based cell index, as Excel shows it: 0 -> A, 25 -> Z,
    26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class ImportIssue:
    """One problem, where the user will find it: the file, the row (the header is
    row 1), the column as written in the header and its letter."""

    file: str
    row: int | None
    column: str | None
    message: str
    code: str = "invalid"
    column_letter: str = ""

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            column = self.column
            if self.column_letter:
                column = f"{column} [{self.column_letter}]"
            where.append(_("column %(column)s") % {"column": column})
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict:
        return {**asdict(self), "text": str(self)}


@dataclass
class RowOutcome:
    """What an import does (or would do, on a dry run) with one row."""

    row: int
    code: str
    action: str  # "create", "update" or "unchanged"
    changes: dict = field(default_factory=dict)


@dataclass
class ImportResult:
    """The result of a file import: the counts and outcomes when it is valid, the
    errors (and nothing applied) when it is not."""

    filename: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[ImportIssue] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)
    # True once the changes are committed (never for a dry run or when there are errors).
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def as_dict(self) -> dict:
        return {
            "filename": self.filename,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "applied": self.applied,
            "ok": self.ok,
            "errors": [e.as_dict() for e in self.errors],
            "outcomes": [asdict(o) for o in self.outcomes],
        }

    def summary(self) -> str:
        if self.errors:
            count = len(self.errors)
            return ngettext(
                "%(count)d error: nothing was imported.",
                "%(count)d errors: nothing was imported.",
                count,
            ) % {"count": count}
        text = _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.dry_run:
            text += " " + _("Dry run: nothing was saved.")
        return text


class FileProblem(Exception):
    """A problem that stops the whole file (too large, damaged, not UTF-8...): the
    importer catches it and returns `issue` as the result's only error."""

    def __init__(self, issue: ImportIssue):
        super().__init__(issue.message)
        self.issue = issue


def file_issue(filename, message, code, row=None, column=None, letter="") -> FileProblem:
    """A `FileProblem` for `filename` (to raise)."""
    return FileProblem(ImportIssue(filename, row, column, message, code, letter))


# ---------------------------------------------------------------- reading files


def display_name(file_obj_or_path, filename: str | None) -> str:
    """How the file is named in messages: `filename` if given, else the file object's
    name or the path; without its folders, printable, at most 200 characters."""
    name = filename or getattr(file_obj_or_path, "name", None)
    if name is None and isinstance(file_obj_or_path, str | os.PathLike):
        name = os.fspath(file_obj_or_path)
    name = os.path.basename(str(name or "")) or _("(file)")
    return "".join(ch for ch in name if ch.isprintable())[:200]


def read_bytes(source, filename: str, limit: int) -> bytes:
    """The content of `source` (bytes, a path, or a file object such as Django's
    UploadedFile), never reading much more than `limit` bytes. Raises `FileProblem`
    (too_large, unreadable)."""

    def too_big():
        return file_issue(
            filename,
            _("The file is larger than the limit of %(limit)s MB.")
            % {"limit": f"{limit / 1024 / 1024:g}"},
            "too_large",
        )

    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            if path.stat().st_size > limit:
                raise too_big()
            data = path.read_bytes()
        except OSError as exc:
            raise file_issue(
                filename, _("The file cannot be read: %s") % exc, "unreadable"
            ) from exc
    else:
        size = getattr(source, "size", None)
        if isinstance(size, int) and size > limit:
            raise too_big()
        if hasattr(source, "seek"):
            try:
                source.seek(0)
            except (OSError, ValueError):
                pass
        if hasattr(source, "chunks"):  # Django's UploadedFile
            parts, total = [], 0
            for chunk in source.chunks():
                total += len(chunk)
                if total > limit:
                    raise too_big()
                parts.append(chunk)
            data = b"".join(parts)
        else:
            data = source.read(limit + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    if len(data) > limit:
        raise too_big()
    return data


def clean_cell(value: Any) -> Any:
    """Cell value -> str (NFC, trimmed, single spaces), date, bool, number, or None
    if blank. A datetime becomes its date; a whole float becomes an int."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date | bool):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    text = " ".join(text.split())
    return text or None


def read_xlsx(data: bytes, filename: str, limit: int) -> Table:
    """The rows of a workbook's first sheet, numbered from 1, cells through
    `clean_cell`. Refuses a damaged workbook and one that unpacks to more than
    `MAX_INFLATION` times `limit`. Raises `FileProblem`."""
    broken = _(
        "The file is damaged or is not a real .xlsx workbook (open it in Excel and save it again)."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
            if archive.testzip() is not None:
                raise zipfile.BadZipFile
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise file_issue(filename, broken, "broken_file") from exc
    if inflated > limit * MAX_INFLATION:
        raise file_issue(
            filename,
            _("The workbook unpacks to more than %(limit)s MB: it is too large to import.")
            % {"limit": f"{limit * MAX_INFLATION / 1024 / 1024:g}"},
            "too_large",
        )
    import openpyxl

    rows: Table = []
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                raise file_issue(filename, _("The workbook has no sheet."), "empty", row=1)
            sheet = workbook.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                rows.append((number, [clean_cell(v) for v in values]))
        finally:
            workbook.close()
    except FileProblem:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        logger.info("unreadable workbook %s: %r", filename, exc)
        raise file_issue(filename, broken, "broken_file") from exc
    return rows


def guess_delimiter(header_line: str) -> str:
    """The delimiter of a CSV file from its header line: the most frequent of comma,
    semicolon (Excel in a Vietnamese locale) and tab; comma if none."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _decode_error_position(data: bytes, offset: int) -> tuple[int, int]:
    """(line number, 0-based cell index) of byte `offset` in a delimited text."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    prefix = data[line_start:offset].decode("latin-1")
    delimiter = guess_delimiter(
        data[: data.find(b"\n") if b"\n" in data else len(data)].decode("latin-1")
    )
    try:
        cells = next(csv.reader([prefix], delimiter=delimiter))
        index = max(len(cells) - 1, 0)
    except (StopIteration, csv.Error):
        index = prefix.count(delimiter)
    return line, index


def read_csv(data: bytes, filename: str) -> Table:
    """The rows of a CSV file, numbered from 1, cells through `clean_cell`. UTF-8
    (with or without its byte-order mark) or UTF-16 with its mark; anything else is
    refused with an error naming the row and column of the first bad byte (a file
    saved in Windows-1258 would garble the Vietnamese letters). Raises `FileProblem`."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: UTF-16 with its byte-order mark is unambiguous.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise file_issue(
                filename,
                _("The file is not valid text: save it as CSV UTF-8 (comma delimited)."),
                "encoding",
            ) from exc
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if b"\x00" in data[:4096]:
            raise file_issue(
                filename,
                _("This is neither an .xlsx workbook nor a CSV text file."),
                "broken_file",
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, index = _decode_error_position(data, exc.start)
            header = data.split(b"\n", 1)[0].decode("latin-1")
            try:
                headers = next(csv.reader([header], delimiter=guess_delimiter(header)))
            except (StopIteration, csv.Error):
                headers = []
            column = headers[index].strip() if index < len(headers) and line > 1 else None
            raise file_issue(
                filename,
                _(
                    "The file is not in UTF-8 (it was probably saved as Windows-1258 or "
                    "another code page, so Vietnamese letters would be garbled). Save it "
                    "again as “CSV UTF-8 (comma delimited)” and import it again."
                ),
                "encoding",
                row=line,
                column=column or None,
                letter=column_letter(index),
            ) from exc
    if not text.strip():
        return []
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=guess_delimiter(first_line))
    rows = []
    try:
        for number, values in enumerate(reader, start=1):
            rows.append((number, [clean_cell(v) for v in values]))
    except csv.Error as exc:
        raise file_issue(
            filename,
            _("The CSV file is malformed: %s") % exc,
            "broken_file",
            row=len(rows) + 1,
        ) from exc
    return rows


def read_rows(data: bytes, filename: str, limit: int | None = None) -> Table:
    """The rows of a workbook's first sheet or of a CSV file, with their numbers.
    The type is decided by content, never by the name (an old .xls, or a file named
    .xlsx that is not a workbook, is refused). `limit` defaults to the
    GOVQMS_MAX_IMPORT_BYTES setting. Raises `FileProblem`."""
    limit = limit or settings.GOVQMS_MAX_IMPORT_BYTES
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise file_issue(filename, _("The file is empty."), "empty", row=1)
    if data.startswith(ZIP_MAGIC):
        return read_xlsx(data, filename, limit)
    if data.startswith(OLE2_MAGIC):
        raise file_issue(
            filename,
            _("This is an old Excel 97–2003 (.xls) file: save it as .xlsx or CSV UTF-8."),
            "unsupported_format",
        )
    if filename.lower().endswith(XLSX_SUFFIXES):
        raise file_issue(
            filename,
            _(
                "The file is damaged or is not a real .xlsx workbook "
                "(open it in Excel and save it again)."
            ),
            "broken_file",
        )
    return read_csv(data, filename)


# ---------------------------------------------------------------- parsing cells

_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"), (3, 2, 1)),
)
_TRUE = {header_key(v) for v in ("x", "1", "true", "yes", "y", "có", "co", "c", "đúng", "thuộc")}
_FALSE = {header_key(v) for v in ("0", "false", "no", "n", "không", "k", "sai", "không thuộc")}


def parse_date(value) -> dt.date | None:
    """A date from a cell: a real date, YYYY-MM-DD or DD/MM/YYYY (also with dots or
    dashes). None for a blank cell. Raises ValueError."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool | int | float):
        raise ValueError(value)
    text = str(value).strip()
    if " " in text:  # "2022-12-31 00:00:00" from some exports
        text = text.split(" ", 1)[0]
    for pattern, (y, m, d) in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return dt.date(int(match.group(y)), int(match.group(m)), int(match.group(d)))
    raise ValueError(value)


def parse_bool(value) -> bool | None:
    """Yes or no from a cell: x / có / yes / 1 or không / no / 0 (accents and case do
    not matter). None for a blank cell. Raises ValueError."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    key = header_key(str(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(value)


def parse_decimal(value, *, places: int = 2, maximum: Decimal | None = None) -> Decimal:
    """A non-negative decimal from a cell: 5, 0.5, "0,5" (a decimal comma as written
    in Vietnamese), spaces ignored, rounded to `places` decimals; at most `maximum`.
    Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError(value)
    text = str(value).strip().replace(" ", "")
    if re.fullmatch(r"\d+([.,]\d+)?", text) is None:
        raise ValueError(value)
    try:
        number = Decimal(text.replace(",", ".")).quantize(Decimal(1).scaleb(-places))
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if maximum is not None and number > maximum:
        raise ValueError(value)
    return number

"""CSV and XLSX exports of a one-stop system, read as a stream through a saved
column-mapping profile (`ImportProfile.mapping`: {field: header as written}).

Each row is one event of a dossier, with the dossier's columns (TTHC, channel,
receipt, due date...) repeated or given once; a row without an event time is a
row about the dossier only. Headers match whatever their accents, case, spaces or
punctuation. Rows are numbered as Excel shows them (the header is row 1)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _

from govqms.core.imports import OLE2_MAGIC, ZIP_MAGIC, guess_delimiter, header_key

from .pipeline import DOSSIER_FIELDS, EVENT_FIELDS, FIELDS, FileProblem, Record


def _positions(header: list, mapping: dict[str, str]) -> dict[str, int]:
    index = {}
    for i, cell in enumerate(header):
        if cell is not None and str(cell).strip():
            index.setdefault(header_key(str(cell)), i)
    positions = {}
    for name, column in mapping.items():
        if name in FIELDS and column:
            i = index.get(header_key(str(column)))
            if i is not None:  # a column of the profile that the file lacks is left out
                positions[name] = i
    if "code" not in positions:
        raise FileProblem(
            _("The column of the dossier code (“%(column)s”) is not in the header row.")
            % {"column": mapping.get("code", "code")},
            row=1,
        )
    return positions


def _records(rows: Iterator[tuple[int, list]], mapping: dict[str, str]) -> Iterator[Record]:
    try:
        number, header = next(rows)
    except StopIteration:
        raise FileProblem(_("The file is empty."), row=1) from None
    positions = _positions(list(header), mapping)
    d_pos = [(n, positions[n]) for n in DOSSIER_FIELDS if n in positions]
    e_pos = [(n, positions[n]) for n in EVENT_FIELDS if n in positions]
    for number, values in rows:
        width = len(values)
        # any(values): a truthy value is neither None nor "" (the cheap test first).
        if not any(values) and not any(v not in (None, "") for v in values):
            continue
        fields = {n: values[i] for n, i in d_pos if i < width}
        event = {n: values[i] for n, i in e_pos if i < width}
        has_event = event.get("at") not in (None, "") or event.get("kind") not in (None, "")
        yield Record(number, fields, [event] if has_event else [])


def _csv_rows(stream) -> Iterator[tuple[int, list]]:
    head = stream.read(4)
    if head.startswith(ZIP_MAGIC[:4]) or head.startswith(OLE2_MAGIC[:4]):
        raise FileProblem(_("This is a workbook, not a CSV file: choose the XLSX format."))
    stream.seek(0)
    raw = stream.read(3)
    if raw != b"\xef\xbb\xbf":
        stream.seek(0)
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="strict", newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError as exc:
        text.detach()
        raise FileProblem(
            _(
                "The header row is not in UTF-8. Save the file again as "
                "“CSV UTF-8 (comma delimited)”."
            ),
            row=1,
        ) from exc
    delimiter = guess_delimiter(first)
    lines = _chain([first], text)
    reader = csv.reader(lines, delimiter=delimiter)
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            yield number, [v.strip() if v else None for v in values]
    except UnicodeDecodeError as exc:
        raise FileProblem(
            _(
                "The file is not in UTF-8 after row %(row)d. Save it again as "
                "“CSV UTF-8 (comma delimited)”."
            )
            % {"row": number},
            row=number + 1,
        ) from exc
    except csv.Error as exc:
        raise FileProblem(_("The CSV file is malformed: %s") % exc, row=number + 1) from exc
    finally:
        text.detach()  # leave the caller's file open


def _chain(first, rest):
    yield from first
    yield from rest


def _xlsx_rows(stream) -> Iterator[tuple[int, list]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise FileProblem(
            _(
                "The file is damaged or is not a real .xlsx workbook "
                "(open it in Excel and save it again)."
            )
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [v.strip() if isinstance(v, str) else v for v in values]
    finally:
        workbook.close()


def read(stream, mapping: dict[str, str], fmt: str) -> Iterator[Record]:
    """Records of a CSV or XLSX export (`stream`: a binary file object)."""
    if fmt == "xlsx":
        head = stream.read(4)
        stream.seek(0)
        if head != ZIP_MAGIC:
            raise FileProblem(_("This is not an .xlsx workbook."))
        return _records(_xlsx_rows(stream), mapping)
    return _records(_csv_rows(stream), mapping)


def sniff_format(head: bytes) -> str:
    return "xlsx" if head.startswith(ZIP_MAGIC) else "csv"


def as_stream(data) -> io.BufferedIOBase:
    if isinstance(data, bytes | bytearray):
        return io.BytesIO(data)
    return data

"""Importing the TTHC catalogue from a spreadsheet (XLSX) or a CSV file.

The rule of every import (DESIGN.md): validate everything first, then apply in one
transaction; re-importing the same file changes nothing; every error names the file,
the row (as Excel shows it: the header is row 1) and the column. The file reading,
the result types and the date and number cells are those of every import
(`govqms.core.imports`).

    result = import_procedures(upload, filename=upload.name, actor=request.user)

Columns (Vietnamese or English headers; accents, case and punctuation do not matter):

    ma_tthc / code                       required: a national code, digits.digits (1.001193)
    ten_tthc / name                      required
    linh_vuc / field
    cap_thuc_hien / level                required: central, provincial, district, commune
                                         (or "Cấp tỉnh", "Cấp xã", ...)
    thoi_han_ngay / time_limit_days      required: working days, "0,5" or "0.5"
    phi_le_phi / fees
    muc_do_truc_tuyen / online_level     full / partial / none ("Toàn trình", "Một phần")
    can_cu_phap_ly / legal_basis
    quyet_dinh_cong_bo / announced_by    the announcing decision
    ngay_cong_bo / announced_on          YYYY-MM-DD or DD/MM/YYYY

A TTHC already in the catalogue (same code) is updated: each changed TTHC gets one
`ProcedureRevision` with the before and after of its changed fields. A blank cell of
an optional column leaves the value as it is. A new announcement date restarts the
5-working-day ISO list deadline of the agencies concerned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from govqms.core import audit
from govqms.core.imports import (
    FileProblem,
    ImportIssue,
    ImportResult,
    RowOutcome,
    column_letter,
    display_name,
    file_issue,
    header_key,
    parse_date,
    parse_decimal,
    read_bytes,
    read_rows,
)

from . import services
from .models import AdministrativeProcedure, OnlineLevel, ProcedureLevel

COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("ma_tthc", "code", "ma", "ma_thu_tuc", "ma_so"),
    "name": ("ten_tthc", "name", "ten", "ten_thu_tuc", "ten_thu_tuc_hanh_chinh"),
    "field": ("linh_vuc", "field"),
    "level": ("cap_thuc_hien", "level", "cap"),
    "time_limit_days": (
        "thoi_han_ngay",
        "time_limit_days",
        "thoi_han_giai_quyet",
        "thoi_han",
        "so_ngay",
    ),
    "fees": ("phi_le_phi", "fees", "phi", "le_phi"),
    "online_level": (
        "muc_do_truc_tuyen",
        "online_level",
        "dich_vu_cong_truc_tuyen",
        "muc_do_dvc",
    ),
    "legal_basis": ("can_cu_phap_ly", "legal_basis"),
    "announced_by": ("quyet_dinh_cong_bo", "announced_by", "quyet_dinh"),
    "announced_on": ("ngay_cong_bo", "announced_on", "ngay_quyet_dinh"),
}
REQUIRED_COLUMNS = ("code", "name", "level", "time_limit_days")
IGNORED_COLUMNS = {"stt", "so_thu_tu", "ghi_chu", "note", "notes"}
# The largest time limit the catalogue stores (a DecimalField of 6 digits, 2 decimals).
MAX_DAYS = Decimal("9999.99")

_HEADER_INDEX = {header_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}
_IGNORED_INDEX = {header_key(alias) for alias in IGNORED_COLUMNS}

_LEVEL_WORDS = {
    "cấp xã": ProcedureLevel.COMMUNE,
    "xã": ProcedureLevel.COMMUNE,
    "cấp tỉnh": ProcedureLevel.PROVINCIAL,
    "tỉnh": ProcedureLevel.PROVINCIAL,
    "cấp huyện": ProcedureLevel.DISTRICT,
    "huyện": ProcedureLevel.DISTRICT,
    "trung ương": ProcedureLevel.CENTRAL,
    "cấp trung ương": ProcedureLevel.CENTRAL,
    "cấp bộ": ProcedureLevel.CENTRAL,
}
_ONLINE_WORDS = {
    "toàn trình": OnlineLevel.FULL,
    "trực tuyến toàn trình": OnlineLevel.FULL,
    "dvc toàn trình": OnlineLevel.FULL,
    "một phần": OnlineLevel.PARTIAL,
    "trực tuyến một phần": OnlineLevel.PARTIAL,
    "dvc một phần": OnlineLevel.PARTIAL,
    "không": OnlineLevel.NONE,
    "không trực tuyến": OnlineLevel.NONE,
}


def column_label(name: str) -> str:
    vi, en = COLUMNS[name][:2]
    return f"{vi} ({en})"


@cache
def _choice_index(kind: str) -> dict[str, str]:
    choices, words = (
        (ProcedureLevel, _LEVEL_WORDS) if kind == "level" else (OnlineLevel, _ONLINE_WORDS)
    )
    index = {header_key(word): value.value for word, value in words.items()}
    for choice in choices:
        index[header_key(choice.value)] = choice.value
        for language in ("en", "vi"):
            with translation.override(language):
                index[header_key(str(choice.label))] = choice.value
    return index


def parse_choice(kind: str, value) -> str | None:
    if value is None:
        return None
    return _choice_index(kind).get(header_key(str(value)))


def parse_days(value) -> Decimal:
    """Working days from a cell: 5, 0.5, "0,5". Raises ValueError."""
    return parse_decimal(value, places=2, maximum=MAX_DAYS)


@dataclass
class _Row:
    row: int
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Plan:
    row: _Row
    action: str
    existing: AdministrativeProcedure | None = None
    changes: dict = field(default_factory=dict)


def _parse(table, filename) -> tuple[list[_Row], list[ImportIssue]]:
    errors: list[ImportIssue] = []
    if not table or not any(v is not None for v in table[0][1]):
        raise file_issue(
            filename,
            _("The first row must hold the column headers (%(columns)s); it is empty.")
            % {"columns": ", ".join(column_label(c) for c in REQUIRED_COLUMNS)},
            "missing_column",
            row=1,
        )
    header_number, header = table[0]
    positions: dict[str, int] = {}
    headers: dict[str, tuple[str, str]] = {}
    for index, raw in enumerate(header):
        if raw is None:
            continue
        text, letter = str(raw), column_letter(index)
        key = header_key(text)
        if key in _IGNORED_INDEX:
            continue
        name = _HEADER_INDEX.get(key)
        if name is None:
            errors.append(
                ImportIssue(
                    filename,
                    header_number,
                    text,
                    _("Unknown column “%(column)s”. The columns are: %(columns)s.")
                    % {"column": text, "columns": ", ".join(column_label(c) for c in COLUMNS)},
                    "unknown_column",
                    letter,
                )
            )
        elif name in positions:
            errors.append(
                ImportIssue(
                    filename,
                    header_number,
                    text,
                    _("Column “%(column)s” appears twice (also in column %(other)s).")
                    % {"column": text, "other": column_letter(positions[name])},
                    "duplicate_column",
                    letter,
                )
            )
        else:
            positions[name] = index
            headers[name] = (text, letter)
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            errors.append(
                ImportIssue(
                    filename,
                    header_number,
                    COLUMNS[name][0],
                    _("Missing column “%(column)s” (in English: %(english)s).")
                    % {"column": COLUMNS[name][0], "english": COLUMNS[name][1]},
                    "missing_column",
                )
            )
    if errors:
        return [], errors

    rows: list[_Row] = []
    first_row: dict[str, int] = {}
    for number, cells in table[1:]:
        if not any(v is not None for v in cells):
            continue
        row = _Row(number)

        def bad(name, message, code="invalid", *, _number=number):
            text, letter = headers[name]
            errors.append(ImportIssue(filename, _number, text, message, code, letter))

        raw = {n: cells[i] if i < len(cells) else None for n, i in positions.items()}
        code = str(raw["code"]).strip() if raw["code"] is not None else ""
        if not code:
            bad("code", _("The TTHC code is required."), "required")
        elif not services.valid_code(code):
            bad(
                "code",
                _(
                    "“%(value)s” is not a TTHC code: write the national code as digits, "
                    "a dot and digits (e.g. 1.001193), formatted as text."
                )
                % {"value": code},
                "bad_code",
            )
        elif code in first_row:
            bad(
                "code",
                _("Code %(code)s appears twice in the file (first in row %(row)s).")
                % {"code": code, "row": first_row[code]},
                "duplicate_code",
            )
        else:
            first_row[code] = number
        row.values["code"] = code
        if raw["name"] is None:
            bad("name", _("The name is required."), "required")
        else:
            row.values["name"] = str(raw["name"])
        if raw["level"] is None:
            bad("level", _("The level is required."), "required")
        else:
            level = parse_choice("level", raw["level"])
            if level is None:
                bad(
                    "level",
                    _("Unknown level “%(value)s”. Use one of: %(levels)s.")
                    % {
                        "value": raw["level"],
                        "levels": ", ".join(f"{c.value} ({c.label})" for c in ProcedureLevel),
                    },
                    "unknown_level",
                )
            else:
                row.values["level"] = level
        if raw["time_limit_days"] is None:
            bad("time_limit_days", _("The time limit is required."), "required")
        else:
            try:
                row.values["time_limit_days"] = parse_days(raw["time_limit_days"])
            except ValueError:
                bad(
                    "time_limit_days",
                    _("“%(value)s” is not a number of working days (write e.g. 5 or 0,5).")
                    % {"value": raw["time_limit_days"]},
                    "bad_number",
                )
        if raw.get("online_level") is not None:
            online = parse_choice("online", raw["online_level"])
            if online is None:
                bad(
                    "online_level",
                    _("Unknown online level “%(value)s”. Use one of: %(levels)s.")
                    % {
                        "value": raw["online_level"],
                        "levels": ", ".join(f"{c.value} ({c.label})" for c in OnlineLevel),
                    },
                    "unknown_online_level",
                )
            else:
                row.values["online_level"] = online
        for name in ("field", "fees", "legal_basis", "announced_by"):
            if raw.get(name) is not None:
                row.values[name] = str(raw[name])
        if raw.get("announced_on") is not None:
            try:
                row.values["announced_on"] = parse_date(raw["announced_on"])
            except ValueError:
                bad(
                    "announced_on",
                    _("“%(value)s” is not a date: write it as YYYY-MM-DD or DD/MM/YYYY.")
                    % {"value": raw["announced_on"]},
                    "bad_date",
                )
        # Field lengths, as the database would refuse them.
        for name in ("name", "field", "announced_by"):
            value = row.values.get(name)
            limit = AdministrativeProcedure._meta.get_field(name).max_length
            if value and len(value) > limit:
                bad(
                    name,
                    _("At most %(limit)d characters (this one has %(n)d).")
                    % {"limit": limit, "n": len(value)},
                    "too_long",
                )
        rows.append(row)
    return rows, errors


def _plan(rows: list[_Row]) -> list[_Plan]:
    existing = {
        p.code: p
        for p in AdministrativeProcedure.objects.filter(code__in=[r.values["code"] for r in rows])
    }
    plans = []
    for row in rows:
        procedure = existing.get(row.values["code"])
        if procedure is None:
            plans.append(_Plan(row, "create", changes=row.values))
            continue
        changes = {
            name: value
            for name, value in row.values.items()
            if name != "code" and getattr(procedure, name) != value
        }
        plans.append(_Plan(row, "update" if changes else "unchanged", procedure, changes))
    return plans


def import_procedures(
    file_obj_or_path, *, filename: str | None = None, actor=None, dry_run: bool = False
) -> ImportResult:
    """Import the TTHC catalogue from an XLSX or CSV file (a path, bytes or a file
    object). `actor` None is the system; a user must be a DoST administrator. Nothing
    is written when there is any error or `dry_run` is set."""
    filename = display_name(file_obj_or_path, filename)
    limit = settings.GOVQMS_MAX_IMPORT_BYTES
    if actor is not None and not actor.has_perm("procedures.manage_catalogue"):
        return ImportResult(
            filename=filename,
            dry_run=dry_run,
            errors=[
                ImportIssue(
                    filename, None, None, _("You may not import the catalogue."), "permission"
                )
            ],
        )
    try:
        data = read_bytes(file_obj_or_path, filename, limit)
        table = read_rows(data, filename, limit)
        if not table:
            raise file_issue(filename, _("The file is empty."), "empty", row=1)
        rows, errors = _parse(table, filename)
    except FileProblem as problem:
        return ImportResult(filename=filename, dry_run=dry_run, errors=[problem.issue])
    result = ImportResult(filename=filename, dry_run=dry_run, rows=len(rows))
    if errors:
        result.errors = sorted(errors, key=lambda e: (e.row or 0, e.column_letter or ""))
        return result
    plans = _plan(rows)
    for plan in plans:
        result.outcomes.append(
            RowOutcome(plan.row.row, plan.row.values["code"], plan.action, plan.changes)
        )
    result.created = sum(p.action == "create" for p in plans)
    result.updated = sum(p.action == "update" for p in plans)
    result.unchanged = sum(p.action == "unchanged" for p in plans)
    if dry_run or not result.changed:
        return result
    current = None
    try:
        with transaction.atomic():
            for plan in plans:
                current = plan
                if plan.action == "create":
                    services.create_procedure(
                        actor, source=filename, write_audit=False, **plan.changes
                    )
                elif plan.action == "update":
                    services.update_procedure(
                        actor, plan.existing, source=filename, write_audit=False, **plan.changes
                    )
            audit.record(
                actor=actor,
                action="procedure_import",
                object_type="procedures.administrativeprocedure",
                object_repr=filename,
                changes={
                    "created": [p.row.values["code"] for p in plans if p.action == "create"],
                    "updated": [p.row.values["code"] for p in plans if p.action == "update"],
                },
                note=_(
                    "%(file)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
                )
                % {
                    "file": filename,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        result.errors.append(
            ImportIssue(
                filename, current.row.row if current else None, None, " ".join(messages), "rejected"
            )
        )
        result.created = result.updated = result.unchanged = 0
        result.outcomes = []
        return result
    result.applied = True
    return result


def template_xlsx() -> bytes:
    """An empty import workbook with the headers and one example row."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("tthc")
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, [COLUMNS[name][0] for name in COLUMNS], bold)
    sheet.write_row(
        1,
        0,
        [
            "1.001193",
            "Đăng ký khai sinh",
            "Hộ tịch",
            "Cấp xã",
            "1",
            "Miễn lệ phí",
            "Toàn trình",
            "Luật Hộ tịch số 60/2014/QH13",
            "Quyết định số 1872/QĐ-BTP",
            "2020-10-15",
        ],
    )
    sheet.set_column(0, len(COLUMNS) - 1, 22)
    workbook.close()
    return buffer.getvalue()

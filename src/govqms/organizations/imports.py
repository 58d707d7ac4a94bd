"""Importing agencies from a spreadsheet (XLSX) or a CSV file.

The rule of every import (DESIGN.md): validate everything first, then apply in
one transaction; re-importing the same file changes nothing; every error names
the file, the row (as Excel shows it: the header is row 1) and the column.

Public API (the DoST-admin upload page and the `import_agencies` command call it):

    result = import_agencies(uploaded_file, filename=uploaded_file.name, actor=request.user)
    if result.ok: ...            # result.created / updated / unchanged / outcomes
    else: ...                    # result.errors: list of ImportIssue (file, row, column, message)

`import_unit_rows` is the engine underneath, shared with the administrative-unit
import (`adminunits.py`): it takes already-parsed `UnitRow`s. Reading the file (size
limit, XLSX or CSV by content, UTF-8), the issue and result types and the date and
yes/no cells are those of every import (`govqms.core.imports`); this module holds
what is about agencies: the columns, the kinds, planning and applying.

Columns (Vietnamese or English headers; accents, case, spaces and punctuation
do not matter, so "Mã cấp trên", "ma_cap_tren" and "Parent code" all work):

    ma / code                        required
    ten / name                       required
    loai / kind                      required: a UnitKind value or its label
    ma_cap_tren / parent_code        code of the parent: existing, or in the same file
    tinh / province                  required for a new unit without a parent
    hieu_luc_tu / valid_from         YYYY-MM-DD or DD/MM/YYYY (new units: today if blank)
    hieu_luc_den / valid_to
    thuoc_pham_vi_so_khcn / in_dost_remit   x / có / yes / 1 or không / no / 0
    ten_viet_tat / short_name, ten_tieng_anh / name_en, ma_dvhc / admin_code

For a unit that already exists (same code), a blank optional cell leaves the
value as it is; a different name or parent is an error (that is a
restructuring: rename or move, with its date and legal basis).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

# The format-level parts are shared by every import; `ImportResult`, `ImportIssue`,
# `RowOutcome`, `parse_date` and `parse_bool` are still importable from here.
from govqms.core.imports import (
    FileProblem,
    ImportIssue,
    ImportResult,
    RowOutcome,
    column_letter,
    display_name,
    file_issue,
    header_key,
    parse_bool,
    parse_date,
    read_bytes,
    read_rows,
)

from . import services
from .models import Unit, UnitKind

# ---------------------------------------------------------------- columns

# field -> accepted headers; the first is the Vietnamese name shown in templates
# and messages, the second the English one.
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("ma", "code", "ma_don_vi", "ma_co_quan", "unit_code"),
    "name": ("ten", "name", "ten_don_vi", "ten_co_quan", "unit_name"),
    "kind": ("loai", "kind", "loai_don_vi", "loai_co_quan", "type"),
    "parent_code": ("ma_cap_tren", "parent_code", "ma_don_vi_cap_tren", "parent"),
    "province": ("tinh", "province", "tinh_thanh_pho", "tinh_thanh"),
    "valid_from": ("hieu_luc_tu", "valid_from", "tu_ngay", "ngay_hieu_luc"),
    "valid_to": ("hieu_luc_den", "valid_to", "den_ngay", "ngay_het_hieu_luc"),
    "in_dost_remit": (
        "thuoc_pham_vi_so_khcn",
        "in_dost_remit",
        "thuoc_pham_vi_so_kh_cn",
        "pham_vi_so_khcn",
    ),
    "short_name": ("ten_viet_tat", "short_name", "ten_ngan"),
    "name_en": ("ten_tieng_anh", "name_en", "english_name"),
    "admin_code": ("ma_dvhc", "admin_code", "ma_don_vi_hanh_chinh", "ma_hanh_chinh"),
}
REQUIRED_COLUMNS = ("code", "name", "kind")
# Columns people keep in their sheets and that the import ignores.
IGNORED_COLUMNS = {"stt", "so_thu_tu", "ghi_chu", "note", "notes", "comment", "comments"}
TEXT_FIELDS = ("short_name", "name_en", "admin_code")
# Attributes an import may change on an existing unit (not name, code or parent).
UPDATABLE_FIELDS = (
    "kind",
    "province",
    "valid_from",
    "valid_to",
    "in_dost_remit",
    "short_name",
    "name_en",
    "admin_code",
)

_HEADER_INDEX = {header_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}
_IGNORED_INDEX = {header_key(alias) for alias in IGNORED_COLUMNS}


def column_label(field_name: str) -> str:
    """How a column is named in messages: "ma_cap_tren (parent_code)"."""
    vi, en = COLUMNS[field_name][:2]
    return f"{vi} ({en})"


# ---------------------------------------------------------------- parsed rows


@dataclass
class Column:
    """Where a field sits in the source: its header as written and its letter."""

    header: str
    letter: str = ""


@dataclass
class UnitRow:
    """One agency as read from a source. `None` means "not given"."""

    row: int
    code: str = ""
    name: str = ""
    kind: str = ""
    parent_code: str | None = None
    province: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    in_dost_remit: bool | None = None
    short_name: str | None = None
    name_en: str | None = None
    admin_code: str | None = None
    # Fields whose cell could not be read (already reported): later checks skip them.
    invalid: set[str] = field(default_factory=set)


# ---------------------------------------------------------------- parsing cells

# Everyday Vietnamese words for kinds, besides the values and their labels.
_KIND_WORDS = {
    "ubnd tỉnh": UnitKind.PROVINCIAL_PC,
    "ủy ban nhân dân tỉnh": UnitKind.PROVINCIAL_PC,
    "văn phòng ubnd tỉnh": UnitKind.PROVINCIAL_PC_OFFICE,
    "văn phòng tỉnh ủy": UnitKind.PARTY_OFFICE,
    "sở": UnitKind.DEPARTMENT,
    "sở ban ngành": UnitKind.DEPARTMENT,
    "chi cục": UnitKind.SUB_DEPARTMENT,
    "ubnd huyện": UnitKind.DISTRICT_PC,
    "cấp huyện": UnitKind.DISTRICT_PC,
    "phòng chuyên môn": UnitKind.DISTRICT_OFFICE,
    "văn phòng hđnd và ubnd": UnitKind.DISTRICT_OFFICE,
    "ubnd xã": UnitKind.COMMUNE_PC,
    "cấp xã": UnitKind.COMMUNE_PC,
    "xã": UnitKind.COMMUNE_PC,
    "phường": UnitKind.COMMUNE_PC,
    "thị trấn": UnitKind.COMMUNE_PC,
    "đơn vị sự nghiệp": UnitKind.PUBLIC_SERVICE_UNIT,
    "cơ quan ngành dọc": UnitKind.VERTICAL_AGENCY,
    "ngành dọc": UnitKind.VERTICAL_AGENCY,
    "sở khcn": UnitKind.DOST,
    "sở kh&cn": UnitKind.DOST,
}


@cache
def _kind_index() -> dict[str, str]:
    index = {header_key(word): kind.value for word, kind in _KIND_WORDS.items()}
    for kind in UnitKind:
        index[header_key(kind.value)] = kind.value
        for language in ("en", "vi"):
            with translation.override(language):
                index[header_key(str(kind.label))] = kind.value
    return index


def parse_kind(value) -> str | None:
    if value is None:
        return None
    return _kind_index().get(header_key(str(value)))


def _as_code(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _rows_from_table(
    table: list[tuple[int, list[Any]]], filename: str
) -> tuple[list[UnitRow], dict[str, Column], list[ImportIssue]]:
    """Header checks and cell parsing. Returns the rows, the columns found and the errors."""
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
    columns: dict[str, Column] = {}
    for index, raw in enumerate(header):
        if raw is None:
            continue
        text = str(raw)
        key = header_key(text)
        letter = column_letter(index)
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
                    % {
                        "column": text,
                        "columns": ", ".join(column_label(c) for c in COLUMNS),
                    },
                    "unknown_column",
                    letter,
                )
            )
            continue
        if name in positions:
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
            continue
        positions[name] = index
        columns[name] = Column(text, letter)
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
        return [], columns, errors

    rows: list[UnitRow] = []
    width = len(header)
    for number, values in table[1:]:
        if not any(v is not None for v in values):
            continue
        extra = [i for i, v in enumerate(values) if i >= width and v is not None]
        if extra:
            errors.append(
                ImportIssue(
                    filename,
                    number,
                    column_letter(extra[0]),
                    _("There is a value in a column without a header."),
                    "unknown_column",
                    column_letter(extra[0]),
                )
            )
        cells = {name: values[i] if i < len(values) else None for name, i in positions.items()}
        row = UnitRow(row=number)

        def bad(name, message, code="invalid", *, _number=number, _row=row):
            _row.invalid.add(name)
            column = columns[name]
            errors.append(
                ImportIssue(filename, _number, column.header, message, code, column.letter)
            )

        row.code = _as_code(cells.get("code"))
        row.name = str(cells["name"]) if cells.get("name") is not None else ""
        if "parent_code" in cells:
            row.parent_code = _as_code(cells["parent_code"])
        for name in ("province", *TEXT_FIELDS):
            if name in cells and cells[name] is not None:
                setattr(
                    row, name, _as_code(cells[name]) if name == "admin_code" else str(cells[name])
                )
        raw_kind = cells.get("kind")
        if raw_kind is not None:
            kind = parse_kind(raw_kind)
            if kind is None:
                bad(
                    "kind",
                    _("Unknown kind “%(value)s”. Use one of: %(kinds)s.")
                    % {
                        "value": raw_kind,
                        "kinds": ", ".join(f"{k.value} ({k.label})" for k in UnitKind),
                    },
                    "unknown_kind",
                )
            else:
                row.kind = kind
        for name in ("valid_from", "valid_to"):
            if name in cells:
                try:
                    setattr(row, name, parse_date(cells[name]))
                except ValueError:
                    bad(
                        name,
                        _("“%(value)s” is not a date: write it as YYYY-MM-DD or DD/MM/YYYY.")
                        % {"value": cells[name]},
                        "bad_date",
                    )
        if "in_dost_remit" in cells:
            try:
                row.in_dost_remit = parse_bool(cells["in_dost_remit"])
            except ValueError:
                bad(
                    "in_dost_remit",
                    _("“%(value)s” is not yes or no: write x, có or 1 for yes; không or 0 for no.")
                    % {"value": cells["in_dost_remit"]},
                    "bad_value",
                )
        rows.append(row)
    if not rows and not errors:
        errors.append(
            ImportIssue(
                filename,
                header_number + 1,
                None,
                _("The file has headers but no agency rows."),
                "empty",
            )
        )
    return rows, columns, errors


# ---------------------------------------------------------------- planning


@dataclass
class _Plan:
    row: UnitRow
    action: str  # create / update / unchanged
    existing: Unit | None = None
    changes: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)


def _unit_field_errors(unit: Unit) -> dict[str, list[str]]:
    try:
        unit.clean_fields(exclude=["parent", "path", "search_text"])
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _topological(
    rows: list[UnitRow], in_file: dict[str, UnitRow]
) -> tuple[list[UnitRow], set[int]]:
    """Rows ordered parents first, and the numbers of the rows caught in a parent cycle."""
    ordered: list[UnitRow] = []
    done: set[str] = set()
    cyclic: set[int] = set()
    for start in rows:
        trail: list[UnitRow] = []
        on_trail: set[str] = set()
        node: UnitRow | None = start
        # Walk up to the first ancestor already placed or outside the file.
        while node is not None and node.code not in done:
            if node.code in on_trail:
                loop_start = next(i for i, r in enumerate(trail) if r.code == node.code)
                cyclic.update(r.row for r in trail[loop_start:])
                break
            trail.append(node)
            on_trail.add(node.code)
            node = in_file.get(node.parent_code or "")
        for node in reversed(trail):
            done.add(node.code)
            ordered.append(node)
    return ordered, cyclic


def _plan(
    rows: list[UnitRow],
    columns: dict[str, Column],
    filename: str,
    actor,
    errors: list[ImportIssue],
) -> list[_Plan]:
    def issue(row: UnitRow, name: str | None, message: str, code: str = "invalid"):
        column = columns.get(name) if name else None
        errors.append(
            ImportIssue(
                filename,
                row.row,
                column.header if column else (COLUMNS[name][0] if name else None),
                message,
                code,
                column.letter if column else "",
            )
        )

    # Duplicates and required values.
    first_row: dict[str, UnitRow] = {}
    unique_rows: list[UnitRow] = []
    for row in rows:
        if not row.code:
            issue(row, "code", _("The code is required."), "required")
            continue
        if re.search(r"\s", row.code):
            issue(row, "code", _("A code cannot contain spaces: “%s”.") % row.code, "invalid")
            continue
        if row.code in first_row:
            issue(
                row,
                "code",
                _("Code “%(code)s” is already used in row %(row)s of this file.")
                % {"code": row.code, "row": first_row[row.code].row},
                "duplicate_code",
            )
            continue
        first_row[row.code] = row
        unique_rows.append(row)
        if not row.name:
            issue(row, "name", _("The name is required."), "required")
        if not row.kind:
            if "kind" in columns and not any(
                e.row == row.row and e.code == "unknown_kind" for e in errors
            ):
                issue(row, "kind", _("The kind is required."), "required")

    in_file = {row.code: row for row in unique_rows}
    wanted = set(in_file) | {r.parent_code for r in unique_rows if r.parent_code}
    existing = {u.code: u for u in Unit.objects.filter(code__in=wanted).select_related("parent")}

    # Parents.
    for row in unique_rows:
        if not row.parent_code:
            continue
        if row.parent_code == row.code:
            issue(row, "parent_code", _("A unit cannot be its own parent."), "unknown_parent")
        elif row.parent_code not in in_file and row.parent_code not in existing:
            issue(
                row,
                "parent_code",
                _(
                    "Unknown parent “%(code)s”: no agency has this code, in the system or "
                    "in this file."
                )
                % {"code": row.parent_code},
                "unknown_parent",
            )
    ordered, cyclic = _topological(unique_rows, in_file)
    for row in unique_rows:
        if row.row in cyclic:
            issue(
                row,
                "parent_code",
                _("The parents of these rows go round in a circle."),
                "parent_cycle",
            )

    today = timezone.localdate()
    plans: list[_Plan] = []
    planned: dict[str, _Plan] = {}
    perm_cache: dict[int | None, bool] = {}

    def may_manage(unit: Unit | None) -> bool:
        key = unit.pk if unit else None
        if key not in perm_cache:
            perm_cache[key] = actor.has_perm("organizations.manage_units", unit)
        return perm_cache[key]

    def valid_span(code: str) -> tuple[dt.date | None, dt.date | None, str]:
        if code in planned and planned[code].action == "create":
            f, invalid = planned[code].fields, planned[code].row.invalid
            if invalid & {"valid_from", "valid_to"}:
                return None, None, code  # unknown: already reported on the parent's row
            return f.get("valid_from"), f.get("valid_to"), f.get("name", code)
        unit = existing.get(code)
        if unit is None:
            return None, None, code
        return unit.valid_from, unit.valid_to, unit.name

    def nearest_existing(code: str | None) -> Unit | None:
        """The closest ancestor that already exists (the permission is checked there)."""
        seen = set()
        while code and code not in seen:
            seen.add(code)
            if code in existing:
                return existing[code]
            row = in_file.get(code)
            code = row.parent_code if row else None
        return None

    for row in ordered:
        unit = existing.get(row.code)
        parent_given = row.parent_code is not None
        if unit is None:
            fields = {
                "code": row.code,
                "name": row.name,
                "kind": row.kind,
                "province": row.province,
                "valid_from": row.valid_from or today,
                "valid_to": row.valid_to,
                "in_dost_remit": True if row.in_dost_remit is None else row.in_dost_remit,
                "short_name": row.short_name or "",
                "name_en": row.name_en or "",
                "admin_code": row.admin_code or "",
            }
            if not fields["province"] and row.parent_code:
                parent_row = in_file.get(row.parent_code)
                if row.parent_code in planned and planned[row.parent_code].action == "create":
                    fields["province"] = planned[row.parent_code].fields["province"]
                elif parent_row is not None and parent_row.province:
                    fields["province"] = parent_row.province
                elif row.parent_code in existing:
                    fields["province"] = existing[row.parent_code].province
            if not fields["province"]:
                issue(
                    row,
                    "province",
                    _("The province is required for a new agency without a parent."),
                    "required",
                )
            plan = _Plan(row, "create", fields=fields)
            if row.name and row.kind:
                probe = Unit(**fields)
                for name, messages in _unit_field_errors(probe).items():
                    if name == "province" and not fields["province"]:
                        continue  # already reported
                    issue(row, name if name in COLUMNS else None, " ".join(messages))
            if actor is not None and not may_manage(nearest_existing(row.parent_code)):
                issue(
                    row,
                    "parent_code" if row.parent_code else "code",
                    _("You may not create agencies here."),
                    "permission",
                )
        else:
            plan = _Plan(row, "unchanged", existing=unit)
            if row.name and row.name != unit.name:
                issue(
                    row,
                    "name",
                    _(
                        "Agency %(code)s exists with the name “%(current)s”. A new name is a "
                        "restructuring: record it as a rename, with its date and legal basis, "
                        "not through an import."
                    )
                    % {"code": unit.code, "current": unit.name},
                    "structural_change",
                )
            if parent_given:
                current_parent = unit.parent.code if unit.parent else ""
                if (row.parent_code or "") != current_parent:
                    issue(
                        row,
                        "parent_code",
                        _(
                            "Agency %(code)s is under “%(current)s”. A new parent is a "
                            "restructuring: record it as a move, with its date and legal "
                            "basis, not through an import."
                        )
                        % {
                            "code": unit.code,
                            "current": current_parent or _("(no parent)"),
                        },
                        "structural_change",
                    )
            for name in UPDATABLE_FIELDS:
                value = getattr(row, name) if name != "kind" else (row.kind or None)
                if value is None:
                    continue
                if getattr(unit, name) != value:
                    plan.changes[name] = value
            if plan.changes:
                plan.action = "update"
                probe = Unit(code=unit.code, name=unit.name)
                for name in UPDATABLE_FIELDS:
                    setattr(probe, name, getattr(unit, name))
                for name, value in plan.changes.items():
                    setattr(probe, name, value)
                for name, messages in _unit_field_errors(probe).items():
                    issue(row, name if name in COLUMNS else None, " ".join(messages))
                if actor is not None and not may_manage(unit):
                    issue(row, "code", _("You may not change this agency."), "permission")
        # Dates: the unit's own span, then against its parent's.
        if plan.action == "create":
            start, end = plan.fields["valid_from"], plan.fields["valid_to"]
        else:
            start = plan.changes.get("valid_from", unit.valid_from)
            end = plan.changes.get("valid_to", unit.valid_to)
        if row.invalid & {"valid_from", "valid_to"}:
            start = end = None  # already reported
        if start and end and end < start:
            issue(
                row,
                "valid_to",
                _("The end date %(end)s is before the start date %(start)s.")
                % {"end": end.strftime("%d/%m/%Y"), "start": start.strftime("%d/%m/%Y")},
                "bad_date",
            )
        if row.parent_code and start and plan.action == "create":
            p_start, p_end, p_name = valid_span(row.parent_code)
            if p_end and p_end < start:
                issue(
                    row,
                    "parent_code",
                    _("The parent “%(parent)s” ended on %(end)s, before this agency starts.")
                    % {"parent": p_name, "end": p_end.strftime("%d/%m/%Y")},
                    "bad_date",
                )
            elif p_start and start < p_start:
                issue(
                    row,
                    "valid_from",
                    _(
                        "This agency starts on %(start)s, "
                        "before its parent “%(parent)s” (%(pstart)s)."
                    )
                    % {
                        "start": start.strftime("%d/%m/%Y"),
                        "parent": p_name,
                        "pstart": p_start.strftime("%d/%m/%Y"),
                    },
                    "bad_date",
                )
        plans.append(plan)
        planned[row.code] = plan
    return plans


def _apply(plans: list[_Plan], actor, filename: str, errors: list[ImportIssue]) -> None:
    created: dict[str, Unit] = {}
    current: _Plan | None = None
    try:
        with transaction.atomic():
            parents = {
                u.code: u
                for u in Unit.objects.filter(
                    code__in={p.row.parent_code for p in plans if p.row.parent_code}
                )
            }
            for plan in plans:
                current = plan
                if plan.action == "create":
                    code = plan.row.parent_code
                    parent = (created.get(code) or parents.get(code)) if code else None
                    created[plan.row.code] = services.create_unit(
                        actor, parent=parent, **plan.fields
                    )
                elif plan.action == "update":
                    services.update_unit(actor, plan.existing, **plan.changes)
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        errors.append(
            ImportIssue(
                filename,
                current.row.row if current else None,
                None,
                " ".join(messages),
                "rejected",
            )
        )


def import_unit_rows(
    rows: list[UnitRow],
    *,
    filename: str,
    columns: dict[str, Column] | None = None,
    actor=None,
    dry_run: bool = False,
    errors: Iterable[ImportIssue] = (),
) -> ImportResult:
    """Validate `rows` against each other and the database, then (no error, not a dry
    run) create or update the units in one transaction through the services."""
    columns = columns or {name: Column(COLUMNS[name][0]) for name in COLUMNS}
    result = ImportResult(filename=filename, dry_run=dry_run, rows=len(rows))
    result.errors = list(errors)
    plans = _plan(rows, columns, filename, actor, result.errors)
    if result.errors:
        result.errors.sort(key=lambda e: (e.row or 0, e.column_letter or "", e.column or ""))
        return result
    for plan in plans:
        changes = plan.fields if plan.action == "create" else plan.changes
        result.outcomes.append(RowOutcome(plan.row.row, plan.row.code, plan.action, changes))
    result.outcomes.sort(key=lambda o: o.row)
    result.created = sum(p.action == "create" for p in plans)
    result.updated = sum(p.action == "update" for p in plans)
    result.unchanged = sum(p.action == "unchanged" for p in plans)
    if dry_run or not result.changed:
        return result
    _apply(plans, actor, filename, result.errors)
    if result.errors:
        result.created = result.updated = result.unchanged = 0
        result.outcomes = []
        return result
    result.applied = True
    return result


def import_agencies(
    file_obj_or_path,
    *,
    filename: str | None = None,
    actor=None,
    dry_run: bool = False,
) -> ImportResult:
    """Import agencies from an XLSX or CSV file (a path, bytes or a file object such
    as Django's UploadedFile). `filename` is only used to name the file in messages;
    the type is decided by content. `actor` None is the system (command line); a
    user is checked against `organizations.manage_units` for every row.

    Nothing is written when there is any error or `dry_run` is set."""
    filename = display_name(file_obj_or_path, filename)
    limit = settings.GOVQMS_MAX_IMPORT_BYTES
    try:
        data = read_bytes(file_obj_or_path, filename, limit)
        table = read_rows(data, filename, limit)
        if not table:
            raise file_issue(filename, _("The file is empty."), "empty", row=1)
        rows, columns, errors = _rows_from_table(table, filename)
    except FileProblem as problem:
        return ImportResult(filename=filename, dry_run=dry_run, errors=[problem.issue])
    if errors and not rows:
        result = ImportResult(filename=filename, dry_run=dry_run, errors=errors)
        return result
    return import_unit_rows(
        rows, filename=filename, columns=columns, actor=actor, dry_run=dry_run, errors=errors
    )


# ---------------------------------------------------------------- template


def template_xlsx() -> bytes:
    """An empty import workbook with the headers and one example row (for the upload page)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("don_vi")
    bold = workbook.add_format({"bold": True})
    headers = [COLUMNS[name][0] for name in COLUMNS]
    sheet.write_row(0, 0, headers, bold)
    sheet.write_row(
        1,
        0,
        [
            "BN-SNV",
            "Sở Nội vụ tỉnh Bắc Ninh",
            UnitKind.DEPARTMENT.value,
            "BN",
            "Bắc Ninh",
            "2020-01-01",
            "",
            "x",
            "Sở Nội vụ",
            "Department of Home Affairs",
            "",
        ],
    )
    sheet.set_column(0, len(headers) - 1, 22)
    workbook.close()
    return buffer.getvalue()

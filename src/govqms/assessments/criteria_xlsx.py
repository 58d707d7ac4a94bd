"""A criteria set as an Excel workbook: export (XlsxWriter) and import (openpyxl).

The workbook has two sheets. The first lists the criteria, one a row under a header
row: group code, group title, criterion code, criterion, guidance, evidence
expected, maximum points, rule (its key in the library) and the rule's parameters
as JSON. The second lists the rating bands: band, its key and the lower bound in
points. Exported files are written in Vietnamese; headers are matched whatever the
language, accents or case.

An import follows the rule of every import (core/imports.py): everything is
validated first, every error names the file, the sheet, the row and the column, and
nothing is applied while there is one; then the draft set's groups, criteria and
bands are made equal to the file's in one transaction, matching groups and criteria
by code, so that importing the same file again changes nothing.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from govqms.core import audit
from govqms.core.imports import (
    ZIP_MAGIC,
    FileProblem,
    ImportIssue,
    ImportResult,
    RowOutcome,
    clean_cell,
    column_letter,
    display_name,
    file_issue,
    header_key,
    parse_decimal,
    read_bytes,
    read_xlsx,
)

from . import criteria as services
from .models import Band, CriteriaGroup, CriteriaSet, Criterion, RatingBand

# Columns of the criteria sheet: (field, header, Vietnamese aliases, required).
CRITERIA_COLUMNS = [
    ("group_code", gettext_lazy("Group code"), ["Mã nhóm", "Nhóm"], True),
    ("group_title", gettext_lazy("Group title"), ["Tên nhóm", "Nhóm tiêu chí"], True),
    ("code", gettext_lazy("Code"), ["Mã tiêu chí", "Mã", "Số TT", "STT"], True),
    ("text", gettext_lazy("Criterion"), ["Tiêu chí", "Nội dung tiêu chí", "Nội dung"], True),
    ("guidance", gettext_lazy("Guidance"), ["Hướng dẫn", "Hướng dẫn chấm điểm"], False),
    (
        "evidence_expected",
        gettext_lazy("Evidence expected"),
        ["Minh chứng", "Tài liệu kiểm chứng", "Minh chứng cần có"],
        False,
    ),
    ("max_points", gettext_lazy("Maximum points"), ["Điểm tối đa", "Điểm chuẩn"], True),
    ("rule", gettext_lazy("Auto-scoring rule"), ["Quy tắc chấm tự động", "Quy tắc"], False),
    (
        "rule_params",
        gettext_lazy("Rule parameters (JSON)"),
        ["Tham số quy tắc", "Tham số"],
        False,
    ),
]
BAND_COLUMNS = [
    ("band_label", gettext_lazy("Band"), ["Xếp loại", "Mức xếp loại"], False),
    ("band", gettext_lazy("Band key"), ["Mã xếp loại"], False),
    ("min_points", gettext_lazy("From (points)"), ["Từ (điểm)", "Điểm từ", "Từ điểm"], True),
]
BAND_ALIASES = {
    "excellent": ["xuất sắc", "xuat sac"],
    "good": ["tốt"],
    "fair": ["khá"],
    "average": ["trung bình"],
    "weak": ["yếu", "kém"],
}


def _keys(label, aliases) -> set[str]:
    keys = {header_key(a) for a in aliases}
    for lang in ("vi", "en"):
        with translation.override(lang):
            keys.add(header_key(str(label)))
    return keys - {""}


def _band_keys() -> dict[str, str]:
    out = {}
    for value, label in Band.choices:
        for key in _keys(label, BAND_ALIASES.get(value, [])) | {header_key(value)}:
            out[key] = value
    return out


# ---------------------------------------------------------------- export


def export_set(criteria_set: CriteriaSet) -> bytes:
    """The set as a workbook, in Vietnamese."""
    with translation.override("vi"):
        return _export(criteria_set)


def _export(cs: CriteriaSet) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    head = book.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
    )
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    points = book.add_format({"num_format": "0.##", "valign": "top"})
    bold_points = book.add_format({"num_format": "0.##", "bold": True})
    bold = book.add_format({"bold": True})

    sheet = book.add_worksheet(_("Criteria")[:31])
    widths = [8, 30, 8, 60, 45, 40, 10, 26, 30]
    for col, ((_f, header, _a, _r), width) in enumerate(zip(CRITERIA_COLUMNS, widths, strict=True)):
        sheet.write(0, col, str(header), head)
        sheet.set_column(col, col, width)
    row = 1
    criteria = cs.criteria.select_related("group").order_by(
        "group__order", "group__pk", "order", "pk"
    )
    total = Decimal(0)
    for c in criteria:
        params = (
            json.dumps(c.rule_params, ensure_ascii=False, sort_keys=True) if c.rule_params else ""
        )
        values = [
            c.group.code,
            c.group.title,
            c.code,
            c.text,
            c.guidance,
            c.evidence_expected,
        ]
        for col, value in enumerate(values):
            sheet.write_string(row, col, value, wrap)
        sheet.write_number(row, 6, float(c.max_points), points)
        sheet.write_string(row, 7, c.rule, wrap)
        sheet.write_string(row, 8, params, wrap)
        total += c.max_points
        row += 1
    sheet.freeze_panes(1, 3)
    sheet.autofilter(0, 0, max(row - 1, 1), len(CRITERIA_COLUMNS) - 1)
    # The total, two rows below the table (an import stops at the first blank row).
    sheet.write(row + 1, 3, _("Total"), bold)
    sheet.write_number(row + 1, 6, float(total), bold_points)

    bands = book.add_worksheet(_("Rating bands")[:31])
    for col, ((_f, header, _a, _r), width) in enumerate(
        zip(BAND_COLUMNS, [20, 14, 14], strict=True)
    ):
        bands.write(0, col, str(header), head)
        bands.set_column(col, col, width)
    for r, b in enumerate(cs.bands.all(), start=1):
        bands.write_string(r, 0, str(Band(b.band).label))
        bands.write_string(r, 1, b.band)
        bands.write_number(r, 2, float(b.min_points), points)

    info = book.add_worksheet(_("About")[:31])
    info.set_column(0, 0, 22)
    info.set_column(1, 1, 80)
    for r, (label, value) in enumerate(
        [
            (_("Criteria set"), cs.title),
            (_("Year"), str(cs.year)),
            (_("Province"), cs.owner.name),
            (_("Legal basis"), cs.legal_basis),
            (_("Status"), str(cs.get_status_display())),
            (_("Total points"), f"{total.normalize():f}".replace(".", ",")),
        ]
    ):
        info.write(r, 0, label, bold)
        info.write_string(r, 1, value, wrap)
    book.close()
    return out.getvalue()


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class SheetIssue(ImportIssue):
    """An import problem that also names the sheet of the workbook."""

    sheet: str = ""

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            column = self.column
            if self.column_letter:
                column = f"{column} [{self.column_letter}]"
            where.append(_("column %(column)s") % {"column": column})
        return f"{', '.join(where)}: {self.message}"


@dataclass
class CriteriaImportResult(ImportResult):
    deleted: int = 0
    groups_changed: int = 0
    bands_changed: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.deleted
            or self.groups_changed
            or self.bands_changed
        )

    def summary(self) -> str:
        if self.errors:
            return super().summary()
        if not self.changed:
            return _("The file matches the set: nothing changed.")
        text = _(
            "%(created)d criteria added, %(updated)d changed, %(deleted)d removed, "
            "%(unchanged)d unchanged."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
        }
        if self.groups_changed:
            text += " " + ngettext(
                "%(count)d group added, changed or removed.",
                "%(count)d groups added, changed or removed.",
                self.groups_changed,
            ) % {"count": self.groups_changed}
        if self.bands_changed:
            text += " " + _("The rating bands were replaced.")
        return text


@dataclass
class _Row:
    number: int
    group_code: str
    group_title: str
    code: str
    text: str
    guidance: str
    evidence_expected: str
    max_points: Decimal
    rule: str
    rule_params: dict


class _Sheet:
    """One sheet's rows with its header mapped to fields."""

    def __init__(self, filename, title, rows, columns, errors):
        self.filename, self.title, self.errors = filename, title, errors
        self.index: dict[str, int] = {}
        self.headers: dict[str, str] = {}
        self.rows = []
        if not rows:
            self.issue(1, None, "", _("The sheet is empty."))
            return
        header_row = rows[0][1]
        wanted = {f: _keys(label, aliases) for f, label, aliases, _r in columns}
        for idx, cell in enumerate(header_row):
            key = header_key(str(cell or ""))
            for f, keys in wanted.items():
                if key in keys and f not in self.index:
                    self.index[f] = idx
                    self.headers[f] = str(cell)
        for f, label, _aliases, required in columns:
            if required and f not in self.index:
                self.issue(
                    1, str(label), "", _("The column “%(column)s” is missing.") % {"column": label}
                )
        for number, values in rows[1:]:
            if all(v is None for v in values):
                break  # the table ends at the first blank row
            self.rows.append((number, values))

    def cell(self, values, f):
        idx = self.index.get(f)
        if idx is None or idx >= len(values):
            return None
        return values[idx]

    def text(self, values, f) -> str:
        value = self.cell(values, f)
        return "" if value is None else str(value).strip()

    def issue(self, row, f_or_header, letter, message, code="invalid"):
        header = self.headers.get(f_or_header, f_or_header)
        if letter == "" and f_or_header in self.index:
            letter = column_letter(self.index[f_or_header])
        self.errors.append(
            SheetIssue(
                self.filename, row, header or None, str(message), code, letter, sheet=self.title
            )
        )


def _read_workbook(data: bytes, filename: str, limit: int) -> list[tuple[str, list]]:
    """[(sheet title, rows)] of every sheet (rows numbered from 1, cells cleaned)."""
    if not data.startswith(ZIP_MAGIC):
        raise file_issue(
            filename,
            _("This is not an .xlsx workbook (export a criteria set to get one)."),
            "unsupported_format",
        )
    read_xlsx(data, filename, limit)  # size, inflation and damage checks
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = []
        for sheet in workbook.worksheets:
            rows = [
                (number, [clean_cell(v) for v in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
            sheets.append((sheet.title, rows))
        return sheets
    finally:
        workbook.close()


def parse_workbook(data: bytes, filename: str) -> tuple[list[_Row], list, list]:
    """(criteria rows, [(band, points)], errors) of a workbook; nothing is saved."""
    errors: list = []
    sheets = _read_workbook(data, filename, settings.GOVQMS_MAX_IMPORT_BYTES)
    crit_title, crit_rows = sheets[0]
    sheet = _Sheet(filename, crit_title, crit_rows, CRITERIA_COLUMNS, errors)
    parsed: list[_Row] = []
    if not errors:
        parsed = _criteria_rows(sheet)
    bands: list = []
    if len(sheets) < 2:
        errors.append(
            SheetIssue(
                filename,
                None,
                None,
                _("The workbook has no second sheet with the rating bands."),
                "missing_sheet",
            )
        )
    else:
        band_title, band_rows = sheets[1]
        band_sheet = _Sheet(filename, band_title, band_rows, BAND_COLUMNS, errors)
        if "min_points" in band_sheet.index:
            bands = _band_rows(band_sheet)
    if not errors and not parsed:
        errors.append(
            SheetIssue(
                filename, None, None, _("The sheet lists no criterion."), "empty", sheet=crit_title
            )
        )
    return parsed, bands, errors


def _criteria_rows(sheet: _Sheet) -> list[_Row]:
    known_rules = set(services.known_rule_keys())
    seen_codes: dict[str, int] = {}
    group_titles: dict[str, tuple[str, int]] = {}
    out = []
    for number, values in sheet.rows:
        problems_before = len(sheet.errors)
        group_code = sheet.text(values, "group_code")
        group_title = sheet.text(values, "group_title")
        code = sheet.text(values, "code")
        text = sheet.text(values, "text")
        for f, value, limit in (
            ("group_code", group_code, 20),
            ("code", code, 20),
            ("text", text, None),
        ):
            if not value:
                sheet.issue(number, f, "", _("This cell must not be empty."), "required")
            elif limit and len(value) > limit:
                sheet.issue(number, f, "", _("At most %(n)d characters.") % {"n": limit})
        if len(group_title) > 300:
            sheet.issue(number, "group_title", "", _("At most %(n)d characters.") % {"n": 300})
        if group_code:
            if group_code in group_titles:
                first_title, first_row = group_titles[group_code]
                if group_title and group_title != first_title:
                    sheet.issue(
                        number,
                        "group_title",
                        "",
                        _("Group %(code)s is titled differently in row %(row)d.")
                        % {"code": group_code, "row": first_row},
                    )
            elif not group_title:
                sheet.issue(
                    number, "group_title", "", _("Give the group's title on its first row.")
                )
            else:
                group_titles[group_code] = (group_title, number)
        if code:
            if code in seen_codes:
                sheet.issue(
                    number,
                    "code",
                    "",
                    _("The code %(code)s is already used in row %(row)d.")
                    % {"code": code, "row": seen_codes[code]},
                    "duplicate",
                )
            else:
                seen_codes[code] = number
        raw_points = sheet.cell(values, "max_points")
        points = None
        if raw_points is None:
            sheet.issue(number, "max_points", "", _("Enter the maximum points."), "required")
        else:
            try:
                points = parse_decimal(raw_points, maximum=services.MAX_POINTS_LIMIT)
            except ValueError:
                sheet.issue(
                    number,
                    "max_points",
                    "",
                    _("“%(value)s” is not a number of points between 0 and 1000.")
                    % {"value": raw_points},
                )
            else:
                if points <= 0:
                    sheet.issue(number, "max_points", "", _("The maximum points must be above 0."))
        rule = sheet.text(values, "rule")
        if rule and rule not in known_rules:
            sheet.issue(
                number,
                "rule",
                "",
                _("There is no rule “%(rule)s” (known rules: %(keys)s).")
                % {"rule": rule, "keys": ", ".join(sorted(known_rules))},
            )
        raw_params = sheet.text(values, "rule_params")
        params: dict = {}
        if raw_params:
            try:
                params = json.loads(raw_params)
                if not isinstance(params, dict):
                    raise ValueError
            except ValueError:
                params = {}
                sheet.issue(
                    number,
                    "rule_params",
                    "",
                    _('Write the parameters as JSON, for example {"full_at": 90}.'),
                )
            else:
                if params and not rule:
                    sheet.issue(number, "rule_params", "", _("Parameters are given but no rule."))
                elif rule in known_rules:
                    try:
                        params = services.clean_rule_params(rule, params)
                    except ValidationError as exc:
                        for message in exc.messages:
                            sheet.issue(number, "rule_params", "", message)
        if len(sheet.errors) == problems_before:
            out.append(
                _Row(
                    number,
                    group_code,
                    group_title or group_titles[group_code][0],
                    code,
                    text,
                    sheet.text(values, "guidance"),
                    sheet.text(values, "evidence_expected"),
                    points,
                    rule,
                    params,
                )
            )
    return out


def _band_rows(sheet: _Sheet) -> list:
    known = _band_keys()
    rows, where = [], {}
    start = len(sheet.errors)
    for number, values in sheet.rows:
        raw = sheet.text(values, "band") or sheet.text(values, "band_label")
        f = "band" if sheet.text(values, "band") else "band_label"
        band = known.get(header_key(raw)) if raw else None
        if band is None:
            sheet.issue(
                number,
                f if f in sheet.index else "band_label",
                "",
                _("“%(value)s” is not a band (excellent, good, fair, average, weak).")
                % {"value": raw},
            )
            continue
        if band in where:
            sheet.issue(
                number,
                f,
                "",
                _("The band is already given in row %(row)d.") % {"row": where[band]},
                "duplicate",
            )
            continue
        raw_points = sheet.cell(values, "min_points")
        try:
            points = parse_decimal(
                raw_points if raw_points is not None else "",
                maximum=services.MAX_POINTS_LIMIT,
            )
        except ValueError:
            sheet.issue(
                number,
                "min_points",
                "",
                _("“%(value)s” is not a number of points between 0 and 1000.")
                % {"value": "" if raw_points is None else raw_points},
            )
            continue
        where[band] = number
        rows.append((band, points))
    if rows and len(sheet.errors) == start:
        try:
            services._clean_bands(rows)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                row = where.get(key)
                for message in messages:
                    sheet.issue(row, "min_points", "", message)
    elif not rows and len(sheet.errors) == start:
        sheet.issue(None, None, "", _("The sheet lists no band."), "empty")
    return rows


def _criterion_values(row: _Row) -> dict:
    return {
        "text": row.text,
        "guidance": row.guidance,
        "evidence_expected": row.evidence_expected,
        "max_points": row.max_points,
        "rule": row.rule,
        "rule_params": row.rule_params,
    }


def import_set(actor, criteria_set: CriteriaSet, fileobj, *, file_name: str = ""):
    """Make the draft set's groups, criteria and bands equal to the workbook's.

    Refused (PermissionDenied / ValidationError) for a user who may not edit the set
    or on a published set; a file with errors returns them and changes nothing."""
    services._require_admin(actor, criteria_set.owner)
    if criteria_set.is_frozen:
        raise ValidationError(services.frozen_message(), code="frozen")
    filename = display_name(fileobj, file_name or None)
    result = CriteriaImportResult(filename=filename)
    try:
        data = read_bytes(fileobj, filename, settings.GOVQMS_MAX_IMPORT_BYTES)
        rows, bands, errors = parse_workbook(data, filename)
    except FileProblem as problem:
        result.errors = [problem.issue]
        return result
    result.rows = len(rows)
    if errors:
        result.errors = errors
        return result
    with transaction.atomic():
        cs = services._locked(actor, criteria_set)
        _apply(actor, cs, rows, bands, result)
    return result


def _apply(actor, cs: CriteriaSet, rows: list[_Row], bands: list, result: CriteriaImportResult):
    groups = {g.code: g for g in cs.groups.all()}
    existing = {c.code: c for c in cs.criteria.select_related("group")}
    # Groups, in the order of their first row.
    wanted_groups: dict[str, str] = {}
    for row in rows:
        wanted_groups.setdefault(row.group_code, row.group_title)
    group_changes = 0
    for order, (code, title) in enumerate(wanted_groups.items(), start=1):
        g = groups.get(code)
        if g is None:
            groups[code] = CriteriaGroup.objects.create(
                criteria_set=cs, code=code, title=title, order=order
            )
            group_changes += 1
        elif (g.title, g.order) != (title, order):
            g.title, g.order = title, order
            g.save(update_fields=["title", "order"])
            group_changes += 1
    # Criteria removed from the file go first (their codes may come back in new rows).
    wanted_codes = {row.code for row in rows}
    gone = [c for code, c in existing.items() if code not in wanted_codes]
    for c in gone:
        c.delete()
    result.deleted = len(gone)
    positions: dict[str, int] = {}
    for row in rows:
        positions[row.group_code] = positions.get(row.group_code, 0) + 1
        order = positions[row.group_code]
        group = groups[row.group_code]
        values = _criterion_values(row)
        c = existing.get(row.code)
        if c is None:
            Criterion.objects.create(
                criteria_set=cs, group=group, order=order, code=row.code, **values
            )
            result.created += 1
            result.outcomes.append(RowOutcome(row.number, row.code, "create"))
            continue
        before = audit.snapshot(c, Criterion.AUDIT_FIELDS)
        c.group, c.order = group, order
        for name, value in values.items():
            setattr(c, name, value)
        after = audit.snapshot(c, Criterion.AUDIT_FIELDS)
        changes = audit.diff(before, after)
        if changes:
            c.save()
            result.updated += 1
            result.outcomes.append(RowOutcome(row.number, row.code, "update", changes))
        else:
            result.unchanged += 1
            result.outcomes.append(RowOutcome(row.number, row.code, "unchanged"))
    removed_groups = [g for code, g in groups.items() if code not in wanted_groups]
    for g in removed_groups:
        g.delete()
    group_changes += len(removed_groups)
    result.groups_changed = group_changes
    # Bands.
    before_bands = services._bands_json((b.band, b.min_points) for b in cs.bands.all())
    after_bands = services._bands_json(bands)
    if before_bands != after_bands:
        cs.bands.all().delete()
        RatingBand.objects.bulk_create(
            RatingBand(criteria_set=cs, band=band, min_points=points) for band, points in bands
        )
        result.bands_changed = True
    result.applied = True
    if result.changed:
        changes = {
            "criteria_created": [None, result.created],
            "criteria_updated": [None, result.updated],
            "criteria_deleted": [None, result.deleted],
        }
        if result.bands_changed:
            changes["bands"] = [before_bands, after_bands]
        audit.record(
            actor=actor,
            action="criteria_set_import",
            obj=cs,
            unit=cs.owner,
            changes=changes,
            note=result.filename,
        )

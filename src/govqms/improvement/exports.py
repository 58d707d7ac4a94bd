"""The list of nonconformities as an Excel workbook (XlsxWriter)."""

import io

import xlsxwriter
from django.utils.translation import gettext as _

from .models import Grade, Source, Status


def nonconformities_xlsx(unit, ncs) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(_("Nonconformities")[:31])
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    title = book.add_format({"bold": True, "font_size": 13})
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write(0, 0, f"{_('Nonconformities')}: {unit.name}", title)
    headers = [
        _("Number"),
        _("Title"),
        _("Source"),
        _("Source reference"),
        _("Clause"),
        _("Process"),
        _("Grade"),
        _("Status"),
        _("Detected on"),
        _("Root cause"),
        _("Actions"),
        _("Open actions"),
        _("Overdue"),
        _("Effective"),
        _("Closed on"),
    ]
    widths = [14, 40, 22, 30, 8, 24, 10, 24, 12, 40, 9, 9, 9, 10, 12]
    for col, (header, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.write(2, col, header, bold)
        sheet.set_column(col, col, width)
    sources, statuses, grades = dict(Source.choices), dict(Status.choices), dict(Grade.choices)
    row = 3
    for nc in ncs:
        effective = "" if nc.effective is None else (_("yes") if nc.effective else _("no"))
        values = [
            nc.number,
            nc.title,
            str(sources.get(nc.source_kind, nc.source_kind)),
            nc.source_label,
            nc.clause,
            nc.process.code if nc.process_id else "",
            str(grades.get(nc.grade, "")),
            str(statuses.get(nc.status, nc.status)),
        ]
        for col, value in enumerate(values):
            sheet.write(row, col, value, wrap)
        sheet.write_datetime(row, 8, _as_datetime(nc.detected_on), date)
        sheet.write(row, 9, nc.root_cause, wrap)
        sheet.write_number(row, 10, getattr(nc, "action_count", 0))
        sheet.write_number(row, 11, getattr(nc, "open_action_count", 0))
        sheet.write(row, 12, _("yes") if getattr(nc, "has_overdue", False) else "")
        sheet.write(row, 13, effective)
        if nc.closed_on:
            sheet.write_datetime(row, 14, _as_datetime(nc.closed_on), date)
        row += 1
    sheet.freeze_panes(3, 1)
    sheet.autofilter(2, 0, max(row - 1, 2), len(headers) - 1)
    book.close()
    return out.getvalue()


def _as_datetime(day):
    import datetime as dt

    return dt.datetime(day.year, day.month, day.day)

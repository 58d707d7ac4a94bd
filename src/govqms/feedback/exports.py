"""The complaints list as XLSX (the personal columns only for the agency's managers)."""

import io

from django.utils.translation import gettext as _


def complaints_xlsx(unit, complaints, *, personal: bool, today) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True, "bg_color": "#E7EEF7", "border": 1})
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet = workbook.add_worksheet("phan_anh_kien_nghi")
    headers = [
        _("No."),
        _("Received on"),
        _("Channel"),
        _("Subject"),
        _("Administrative procedure"),
        _("Dossier code"),
        _("Content"),
        _("Assigned to"),
        _("Status"),
        _("Due date"),
        _("Overdue"),
        _("Responded on"),
        _("Response"),
    ]
    if personal:
        headers += [_("Complainant"), _("Contact")]
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    for r, c in enumerate(complaints, start=1):
        row = [
            c.pk,
            c.received_on,
            c.get_channel_display(),
            c.subject,
            f"{c.procedure.code} {c.procedure.name}" if c.procedure_id else "",
            c.dossier_code,
            c.content,
            c.assigned_to.display_name if c.assigned_to_id else "",
            c.get_status_display(),
            c.due_date,
            "x" if c.is_overdue(today) else "",
            c.responded_on,
            c.response,
        ]
        if personal:
            row += [c.complainant_name, c.complainant_contact]
        for col, value in enumerate(row):
            if hasattr(value, "isoformat"):
                sheet.write_datetime(r, col, _as_datetime(value), date)
            elif value is None:
                sheet.write_blank(r, col, None)
            else:
                sheet.write(r, col, value)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 2, 12)
    sheet.set_column(3, 3, 40)
    sheet.set_column(4, 4, 36)
    sheet.set_column(6, 6, 60)
    workbook.close()
    return buffer.getvalue()


def _as_datetime(day):
    import datetime as dt

    return dt.datetime.combine(day, dt.time.min)

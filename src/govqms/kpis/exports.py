"""The figures behind each chart as CSV or XLSX."""

import csv
import io

import xlsxwriter

from govqms.reports.http import XLSX, attachment


def table_response(title: str, header: list[str], rows: list[list], fmt: str):
    if fmt == "xlsx":
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = book.add_worksheet(title[:31] or "data")
        bold = book.add_format({"bold": True})
        sheet.write_row(0, 0, header, bold)
        for i, row in enumerate(rows, start=1):
            sheet.write_row(i, 0, ["" if v is None else v for v in row])
        sheet.set_column(0, len(header) - 1, 18)
        book.close()
        return attachment(buffer.getvalue(), f"{title}.xlsx", XLSX)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    content = ("\ufeff" + out.getvalue()).encode()
    return attachment(content, f"{title}.csv", "text/csv; charset=utf-8")

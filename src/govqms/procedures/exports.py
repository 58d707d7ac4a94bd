"""Export of an agency's internal processes for a one-stop system to be configured
from: per TTHC its code, name, legal limit and the steps of the EFFECTIVE version of
the procedure that covers it (order, name, responsible, hours, form).

JSON (`processes_json`) and XLSX (`processes_xlsx`, XlsxWriter: one sheet of TTHC,
one sheet of steps, one row per step). Only in-scope TTHC whose procedure is in
force are exported; the others are listed under "missing" in the JSON."""

from __future__ import annotations

import io
import json
from decimal import Decimal

from django.utils import timezone

from . import selectors

FORMAT = "govqms.internal-processes/1"


def _number(value: Decimal):
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def process_records(rows: list[selectors.AssignmentRow]) -> tuple[list[dict], list[dict]]:
    """(exported processes, in-scope TTHC without a procedure in force)."""
    processes, missing = [], []
    for row in rows:
        a, p = row.assignment, row.procedure
        if not a.in_scope:
            continue
        if row.version is None:
            missing.append({"code": p.code, "name": p.name})
            continue
        steps = row.version.content.get("steps") or []
        processes.append(
            {
                "code": p.code,
                "name": p.name,
                "field": p.field,
                "level": p.level,
                "time_limit_days": _number(p.time_limit_days),
                "time_limit_hours": _number(p.time_limit_hours),
                "online_level": p.online_level,
                "procedure": {
                    "code": a.document.code,
                    "title": a.document.title,
                    "issue": row.version.issue_no,
                    "effective_from": (
                        row.version.effective_from.isoformat()
                        if row.version.effective_from
                        else None
                    ),
                },
                "steps_total_hours": _number(row.check.total_hours),
                "steps_match_limit": row.check.ok,
                "steps": [
                    {
                        "order": i,
                        "step": s.get("step") or str(i),
                        "name": s.get("name") or "",
                        "responsible": s.get("responsible") or "",
                        "hours": _number(selectors.step_hours(s)),
                        "form": s.get("form") or "",
                    }
                    for i, s in enumerate(steps, start=1)
                ],
            }
        )
    return processes, missing


def processes_json(unit, rows) -> bytes:
    processes, missing = process_records(rows)
    data = {
        "format": FORMAT,
        "agency": {"code": unit.code, "name": unit.name},
        "exported_at": timezone.now().isoformat(),
        "hours_per_working_day": 8,
        "processes": processes,
        "missing": missing,
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


PROCESS_HEADERS = [
    "ma_tthc",
    "ten_tthc",
    "thoi_han_ngay",
    "thoi_han_gio",
    "ma_quy_trinh",
    "lan_ban_hanh",
    "hieu_luc_tu",
    "tong_gio_cac_buoc",
    "khop_thoi_han",
]
STEP_HEADERS = ["ma_tthc", "thu_tu", "buoc", "ten_buoc", "trach_nhiem", "so_gio", "bieu_mau"]


def processes_xlsx(unit, rows) -> bytes:
    import xlsxwriter

    processes, _missing = process_records(rows)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet("quy_trinh")
    sheet.write_row(0, 0, PROCESS_HEADERS, bold)
    steps_sheet = workbook.add_worksheet("cac_buoc")
    steps_sheet.write_row(0, 0, STEP_HEADERS, bold)
    r = s = 1
    for p in processes:
        sheet.write_row(
            r,
            0,
            [
                p["code"],
                p["name"],
                p["time_limit_days"],
                p["time_limit_hours"],
                p["procedure"]["code"],
                p["procedure"]["issue"],
                p["procedure"]["effective_from"] or "",
                p["steps_total_hours"],
                "x" if p["steps_match_limit"] else "",
            ],
        )
        r += 1
        for step in p["steps"]:
            steps_sheet.write_row(
                s,
                0,
                [
                    p["code"],
                    step["order"],
                    step["step"],
                    step["name"],
                    step["responsible"],
                    step["hours"],
                    step["form"],
                ],
            )
            s += 1
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 60)
    steps_sheet.set_column(3, 4, 40)
    workbook.close()
    return buffer.getvalue()

"""The internal audit report (báo cáo đánh giá nội bộ) in DOCX and PDF.

Layout as the official documents of documents/rendering.py (Decree 30/2020/NĐ-CP):
agency block and national motto, place and date, title, then times, objectives and
criteria, scope, team, summary by grade, findings by grade with clause and process,
conclusion and signatures. The fixed labels are Vietnamese literals."""

from django.template.loader import render_to_string
from django.utils import translation

from govqms.reports import docx as D
from govqms.reports.pdf import html_to_pdf

from .selectors import report_context

L = {
    "motto1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto2": "Độc lập - Tự do - Hạnh phúc",
    "title": "BÁO CÁO ĐÁNH GIÁ NỘI BỘ",
    "subtitle": "Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015",
    "times": "1. Thời gian đánh giá",
    "planned": "Theo kế hoạch",
    "actual": "Thực tế",
    "objectives": "2. Mục tiêu và chuẩn mực đánh giá",
    "objective": "Mục tiêu",
    "criteria": "Chuẩn mực",
    "scope": "3. Phạm vi đánh giá",
    "processes": "Quy trình",
    "clauses": "Điều khoản ISO 9001:2015",
    "divisions": "Bộ phận",
    "team": "4. Đoàn đánh giá",
    "no": "STT",
    "name": "Họ và tên",
    "role": "Vai trò",
    "agency": "Đơn vị",
    "summary": "5. Tóm tắt kết quả",
    "grade": "Mức phát hiện",
    "count": "Số lượng",
    "findings": "6. Các phát hiện",
    "clause": "Điều khoản",
    "process": "Quy trình",
    "finding": "Nội dung phát hiện",
    "nc": "Hành động khắc phục",
    "none": "Không có.",
    "conclusion": "7. Kết luận",
    "lead": "TRƯỞNG ĐOÀN ĐÁNH GIÁ",
    "head": "THỦ TRƯỞNG CƠ QUAN",
    "recipient": "Nơi nhận",
    "not_yet": "(chưa ghi)",
}

TEAM_COLS = (1.2, 5.4, 3.0, 6.4)
COUNT_COLS = (10.0, 6.0)
FINDING_COLS = (1.1, 2.0, 3.6, 6.5, 2.8)


def context(plan) -> dict:
    # An official Vietnamese document: clause titles and statuses in Vietnamese.
    with translation.override("vi"):
        ctx = report_context(plan)
        ctx["clauses"] = [str(c) for c in ctx["clauses"]]
        for group in ctx["by_grade"]:
            for row in group["rows"]:
                row["nc_status"] = str(row["nc_status"])
    ctx["L"] = L
    return ctx


def render_html(plan, *, ctx=None) -> str:
    return render_to_string("audits/report_print.html", {"r": ctx or context(plan)})


def render_pdf(plan) -> bytes:
    return html_to_pdf(render_html(plan))


def _line(body, text, **fmt):
    return D.add_paragraph(body, text, align=D.JUSTIFY, **fmt)


def _labelled(body, label, values):
    p = body.add_paragraph()
    D.add_text(p, f"{label}: ", bold=True)
    D.add_text(p, "; ".join(values) if values else L["none"])


def render_docx(plan) -> bytes:
    r = context(plan)
    word = D.new_document(
        title=f"{L['title']} · {r['title']}", author=r["agency"], subject=L["title"]
    )
    head = D.add_table(word, (7.0, 9.0), [["", ""]], size=12, fill_header=False)
    agency, motto = head.rows[0].cells
    lines = ([r["parent"].upper()] if r["parent"] else []) + [r["agency"].upper()]
    D.set_cell(agency, "\n".join(lines), size=12, align=D.CENTER)
    agency.paragraphs[-1].runs[0].bold = True
    D.set_cell(motto, f"{L['motto1']}\n{L['motto2']}", bold=True, size=12, align=D.CENTER)
    D.no_borders(head, cells=True)
    D.add_paragraph(word, r["place_date"], italic=True, align=D.WD_ALIGN_PARAGRAPH.RIGHT)
    D.add_paragraph(word, L["title"], bold=True, size=14, align=D.CENTER, space_after=0)
    D.add_paragraph(word, r["title"], bold=True, align=D.CENTER, space_after=0)
    D.add_paragraph(word, L["subtitle"], italic=True, align=D.CENTER)

    word.add_heading(L["times"], level=1)
    _labelled(word, L["planned"], [r["planned"]])
    _labelled(word, L["actual"], [r["actual"]] if r["actual"] else [L["not_yet"]])

    word.add_heading(L["objectives"], level=1)
    _labelled(word, L["objective"], [r["objectives"]] if r["objectives"] else [])
    _labelled(word, L["criteria"], [r["criteria"]] if r["criteria"] else [])

    word.add_heading(L["scope"], level=1)
    _labelled(word, L["processes"], r["processes"])
    _labelled(word, L["clauses"], r["clauses"])
    _labelled(word, L["divisions"], r["divisions"])

    word.add_heading(L["team"], level=1)
    D.add_table(
        word,
        TEAM_COLS,
        [[str(i), t["name"], t["role"], t["agency"]] for i, t in enumerate(r["team"], 1)],
        header=[L["no"], L["name"], L["role"], L["agency"]],
        align=[D.CENTER, D.LEFT, D.LEFT, D.LEFT],
    )

    word.add_heading(L["summary"], level=1)
    D.add_table(
        word,
        COUNT_COLS,
        [[label, str(n)] for label, n in r["counts"]],
        header=[L["grade"], L["count"]],
        align=[D.LEFT, D.CENTER],
    )
    for line in (r["summary"] or "").splitlines():
        if line.strip():
            _line(word, line.strip())

    word.add_heading(L["findings"], level=1)
    for group in r["by_grade"]:
        word.add_heading(f"{group['label']} ({len(group['rows'])})", level=2)
        if not group["rows"]:
            D.add_paragraph(word, L["none"], italic=True)
            continue
        D.add_table(
            word,
            FINDING_COLS,
            [
                [
                    str(i),
                    row["finding"].clause,
                    str(row["finding"].process or ""),
                    row["finding"].description
                    + (f"\n{row['finding'].evidence}" if row["finding"].evidence else ""),
                    row["nc_status"],
                ]
                for i, row in enumerate(group["rows"], 1)
            ],
            header=[L["no"], L["clause"], L["process"], L["finding"], L["nc"]],
            size=11,
            align=[D.CENTER, D.CENTER, D.LEFT, D.LEFT, D.LEFT],
        )

    word.add_heading(L["conclusion"], level=1)
    for line in (r["conclusion"] or L["not_yet"]).splitlines():
        if line.strip():
            _line(word, line.strip())

    signs = D.add_table(
        word, (8.0, 8.0), [[f"{L['lead']}\n\n\n\n{r['lead']}", f"{L['head']}\n\n\n\n"]], size=12
    )
    for cell in signs.rows[0].cells:
        cell.paragraphs[0].runs[0].bold = True
        for p in cell.paragraphs:
            p.alignment = D.CENTER
    D.no_borders(signs, cells=True)
    signs.rows[0].cells[0].paragraphs[0].paragraph_format.space_before = D.Pt(12)
    return D.to_bytes(word)

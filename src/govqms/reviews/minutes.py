"""The minutes of a management review (biên bản họp xem xét của lãnh đạo) in DOCX
and PDF, in the layout of Decree 30/2020/NĐ-CP: the agency block and the national
motto side by side, the number, the place and date, the title, then the body (time,
place, chair, attendees; the inputs reviewed, each with the chair's conclusion; the
decisions with owner and due date) and the signatures of the secretary and chair.

The captions are fixed Vietnamese text (official-document labels), not interface
messages: they print the same whatever the reader's language."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from govqms.reports import docx as D
from govqms.reports.pdf import html_to_pdf

from .models import ReviewStatus

LABELS = {
    "motto_1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto_2": "Độc lập - Tự do - Hạnh phúc",
    "number": "Số",
    "title": "BIÊN BẢN",
    "subtitle": "Họp xem xét của lãnh đạo về hệ thống quản lý chất lượng",
    "standard": "theo TCVN ISO 9001:2015, điều 9.3",
    "draft": "DỰ THẢO",
    "s1": "I. THỜI GIAN, ĐỊA ĐIỂM VÀ THÀNH PHẦN",
    "time": "Thời gian",
    "place": "Địa điểm",
    "chair": "Chủ trì",
    "secretary": "Thư ký",
    "attendees": "Thành phần tham dự",
    "guests": "Khách mời",
    "s2": "II. NỘI DUNG XEM XÉT (đầu vào, điều 9.3.2)",
    "period": "Kỳ xem xét",
    "from": "từ ngày",
    "to": "đến ngày",
    "conclusion": "Ý kiến, kết luận của chủ trì",
    "no_data": "Không có dữ liệu được ghi nhận.",
    "s3": "III. KẾT LUẬN VÀ QUYẾT ĐỊNH (đầu ra, điều 9.3.3)",
    "no": "TT",
    "decision": "Nội dung",
    "kind": "Loại",
    "owner": "Người thực hiện",
    "due": "Thời hạn",
    "no_decision": "Cuộc họp không đưa ra quyết định nào.",
    "closing": "Biên bản được lập xong và thông qua tại cuộc họp.",
    "sign_secretary": "THƯ KÝ",
    "sign_chair": "CHỦ TRÌ",
    "sign_hint": "(Ký, ghi rõ họ tên)",
    "date_fmt": "ngày {d:02d} tháng {m:02d} năm {y}",
    "hour_fmt": "{h:02d} giờ {mi:02d} phút, ngày {d:02d}/{m:02d}/{y}",
}

# The inputs of 9.3.2 by their Vietnamese titles (TCVN ISO 9001:2015).
INPUT_TITLES_VI = {
    "previous_actions": "Tình trạng của các hành động từ các lần xem xét của lãnh đạo trước đó",
    "context_changes": "Những thay đổi về các vấn đề bên ngoài và nội bộ",
    "satisfaction": "Sự thỏa mãn của khách hàng và phản hồi",
    "objectives": "Mức độ đạt được các mục tiêu chất lượng",
    "process_performance": "Kết quả thực hiện quá trình và sự phù hợp của dịch vụ",
    "nonconformities": "Sự không phù hợp và hành động khắc phục",
    "monitoring": "Kết quả theo dõi và đo lường",
    "audit_results": "Kết quả đánh giá",
    "external_providers": "Kết quả thực hiện của nhà cung cấp bên ngoài",
    "resources": "Sự thỏa đáng của các nguồn lực",
    "risks": "Hiệu lực của các hành động giải quyết rủi ro và cơ hội",
    "improvement_opportunities": "Các cơ hội cải tiến",
}

KINDS_VI = {
    "improvement": "Cơ hội cải tiến",
    "qms_change": "Thay đổi hệ thống quản lý chất lượng",
    "resource_need": "Nhu cầu về nguồn lực",
}


def _name(user) -> str:
    return user.display_name if user else ""


def _d(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def minutes_context(review, review_inputs: dict, decisions) -> dict:
    """Everything the minutes print, from the review, its inputs (as
    `selectors.review_inputs` returns them) and its decisions."""
    L = LABELS
    unit = review.unit
    day = review.date
    held = timezone.localtime(review.held_at) if review.held_at else None
    sections = []
    for i, item in enumerate(review_inputs["inputs"], start=1):
        lines = []
        tables = []
        for section in item["sections"]:
            if section.get("summary"):
                lines.append(section["summary"])
            if section.get("rows"):
                tables.append({"columns": section.get("columns") or [], "rows": section["rows"]})
        sections.append(
            {
                "no": i,
                "key": item["key"],
                "title": INPUT_TITLES_VI.get(item["key"], item["title"]),
                "lines": lines or [L["no_data"]],
                "tables": tables,
                "comment": item.get("comment", ""),
            }
        )
    rows = [
        {
            "no": i,
            "text": d.text,
            "kind": KINDS_VI.get(d.kind, d.kind),
            "owner": _name(d.owner),
            "due": _d(d.due_date),
        }
        for i, d in enumerate(decisions, start=1)
    ]
    attendees = [_name(u) for u in review.attendees.all().order_by("full_name", "username")]
    return {
        "L": L,
        "parent": unit.parent.name if unit.parent_id else "",
        "agency": unit.name,
        "number": review.number or "……/BB-XXLĐ",
        "place_date": f"{unit.province}, "
        + L["date_fmt"].format(d=day.day, m=day.month, y=day.year),
        "title": review.title,
        "mark": "" if review.status == ReviewStatus.MINUTES_ISSUED else L["draft"],
        "time": L["hour_fmt"].format(
            h=held.hour, mi=held.minute, d=held.day, m=held.month, y=held.year
        )
        if held
        else _d(review.planned_date),
        "place": review.place,
        "chair": _name(review.chair),
        "secretary": _name(review.secretary),
        "attendees": attendees,
        "guests": review.guest_list(),
        "period": f"{L['from']} {_d(review.period_start)} {L['to']} {_d(review.period_end)}",
        "sections": sections,
        "decisions": rows,
    }


# ---------------------------------------------------------------- PDF


def render_html(ctx: dict) -> str:
    return render_to_string("reviews/minutes_print.html", {"m": ctx})


def render_pdf(ctx: dict) -> bytes:
    return html_to_pdf(render_html(ctx))


# ---------------------------------------------------------------- DOCX

HEAD_COLS = (6.4, 9.6)
DECISION_COLS = (1.0, 7.0, 3.0, 3.0, 2.0)
SIGN_COLS = (8.0, 8.0)


def _cell_text(value) -> str:
    """A value of a review input as the Vietnamese minutes write it: 28/11/2026 for a
    date kept as an ISO string, a decimal comma for a number."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
        return f"{text[8:10]}/{text[5:7]}/{text[:4]}"
    return text


def render_docx(ctx: dict) -> bytes:
    L = ctx["L"]
    word = D.new_document(
        title=f"{L['title']} {ctx['title']}", author=ctx["agency"], subject=L["subtitle"]
    )
    if ctx["mark"]:
        D.add_paragraph(word, ctx["mark"], bold=True, color=D.RED, size=14, align=D.CENTER)
    head = D.add_table(word, HEAD_COLS, [["", ""]], size=12)
    D.no_borders(head)
    left, right = head.rows[0].cells
    lines = ([ctx["parent"].upper()] if ctx["parent"] else []) + [ctx["agency"].upper()]
    D.set_cell(
        left, "\n".join(lines) + f"\n{L['number']}: {ctx['number']}", size=12, align=D.CENTER
    )
    left.paragraphs[len(lines) - 1].runs[0].bold = True
    D.set_cell(right, f"{L['motto_1']}\n{L['motto_2']}", size=12, align=D.CENTER)
    right.paragraphs[0].runs[0].bold = True
    motto = right.paragraphs[1].runs[0]
    motto.bold = True
    motto.underline = True
    motto.font.size = D.Pt(13)
    D.add_paragraph(
        word, ctx["place_date"], italic=True, align=D.WD_ALIGN_PARAGRAPH.RIGHT
    ).paragraph_format.space_before = D.Pt(6)
    p = D.add_paragraph(word, L["title"], bold=True, size=14, align=D.CENTER)
    p.paragraph_format.space_before = D.Pt(10)
    D.add_paragraph(word, L["subtitle"], bold=True, align=D.CENTER, space_after=0)
    D.add_paragraph(word, ctx["title"], italic=True, align=D.CENTER, space_after=10)

    word.add_heading(L["s1"], level=1)
    for label, value in (
        (L["time"], ctx["time"]),
        (L["place"], ctx["place"]),
        (L["chair"], ctx["chair"]),
        (L["secretary"], ctx["secretary"]),
    ):
        para = word.add_paragraph()
        D.add_text(para, f"- {label}: ", bold=True)
        D.add_text(para, value or "")
    para = word.add_paragraph()
    D.add_text(para, f"- {L['attendees']}: ", bold=True)
    D.add_text(para, ", ".join(ctx["attendees"]) or "")
    if ctx["guests"]:
        para = word.add_paragraph()
        D.add_text(para, f"- {L['guests']}: ", bold=True)
        D.add_text(para, ", ".join(ctx["guests"]))

    word.add_heading(L["s2"], level=1)
    D.add_paragraph(word, f"{L['period']}: {ctx['period']}.", italic=True)
    for s in ctx["sections"]:
        word.add_heading(f"{s['no']}. {s['title']}", level=2)
        for line in s["lines"]:
            D.add_paragraph(word, line, align=D.JUSTIFY)
        for t in s["tables"]:
            n = max(len(t["columns"]), max((len(r) for r in t["rows"]), default=1), 1)
            width = D.TEXT_WIDTH_CM / n
            D.add_table(
                word,
                [width] * n,
                [[_cell_text(c) for c in r] + [""] * (n - len(r)) for r in t["rows"]],
                header=list(t["columns"]) + [""] * (n - len(t["columns"]))
                if t["columns"]
                else None,
                size=10,
            )
            word.add_paragraph().paragraph_format.space_after = D.Pt(2)
        if s["comment"]:
            para = word.add_paragraph()
            D.add_text(para, f"{L['conclusion']}: ", bold=True, italic=True)
            D.add_text(para, s["comment"], italic=True)

    word.add_heading(L["s3"], level=1)
    if ctx["decisions"]:
        D.add_table(
            word,
            DECISION_COLS,
            [[r["no"], r["text"], r["kind"], r["owner"], r["due"]] for r in ctx["decisions"]],
            header=[L["no"], L["decision"], L["kind"], L["owner"], L["due"]],
            size=11,
            align=[D.CENTER, D.LEFT, D.LEFT, D.LEFT, D.CENTER],
        )
    else:
        D.add_paragraph(word, L["no_decision"])
    D.add_paragraph(word, L["closing"], italic=True).paragraph_format.space_before = D.Pt(8)

    sign = D.add_table(word, SIGN_COLS, [["", ""]], size=13)
    D.no_borders(sign)
    for cell, role, name in zip(
        sign.rows[0].cells,
        (L["sign_secretary"], L["sign_chair"]),
        (ctx["secretary"], ctx["chair"]),
        strict=True,
    ):
        D.set_cell(
            cell, f"{role}\n{L['sign_hint']}\n\n\n\n{name}", size=13, align=D.CENTER, valign="top"
        )
        cell.paragraphs[0].runs[0].bold = True
        cell.paragraphs[1].runs[0].italic = True
        cell.paragraphs[-1].runs[0].bold = True
    return D.to_bytes(word)

"""A document version rendered as its official document: HTML (a fragment for pages
and a print page), DOCX in the standard layout of a procedure, and PDF.

Layout (DOMAIN.md, "Documents of a QMS"): a header on every page (agency, title,
code, issue, issue date, page x/y), the sign-off block (drafted / reviewed /
approved), the change log, then sections 1-7 of a procedure with their tables, or
the body text of other kinds of documents. A version no longer in force carries
"HẾT HIỆU LỰC" everywhere it is printed; a version not yet in force, "DỰ THẢO".
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.template.loader import render_to_string
from django.utils import timezone

from govqms.reports import docx as D
from govqms.reports.pdf import html_to_pdf

from .models import Decision, DocumentVersion, VersionStatus, empty_content
from .services import versions

# ---------------------------------------------------------------- fixed labels

# The captions of an official document are fixed Vietnamese text, not interface
# messages: a procedure of a Vietnamese state agency prints the same headings and
# captions (the layout of the model framework, Decision 101/QĐ-BKHCN, and the
# official-document rules of Decree 30/2020/NĐ-CP) whatever the reader's language.
# So they are literals, kept here in one place for the DOCX, the HTML and the PDF,
# and deliberately not passed through gettext.
LABELS = {
    "code": "Mã hiệu",
    "issue": "Lần ban hành",
    "issue_date": "Ngày ban hành",
    "page": "Trang",
    "withdrawn": "HẾT HIỆU LỰC",
    "draft": "DỰ THẢO",
    "drafted_by": "Người soạn thảo",
    "reviewed_by": "Người xem xét",
    "approved_by": "Người phê duyệt",
    "name": "Họ và tên",
    "title": "Chức vụ",
    "signed_at": "Thời gian ký",
    "change_log": "THEO DÕI SỬA ĐỔI",
    "change_request": "Yêu cầu sửa đổi",
    "change_section": "Trang/Phần",
    "change_description": "Mô tả",
    "change_issue": "Lần ban hành",
    "change_date": "Ngày",
    "s1": "1. MỤC ĐÍCH",
    "s2": "2. PHẠM VI ÁP DỤNG",
    "s3": "3. TÀI LIỆU VIỆN DẪN",
    "s4": "4. ĐỊNH NGHĨA VÀ TỪ VIẾT TẮT",
    "s5": "5. NỘI DUNG QUY TRÌNH",
    "s5_1": "5.1. Cơ sở pháp lý",
    "s5_2": "5.2. Điều kiện thực hiện",
    "s5_3": "5.3. Thành phần hồ sơ",
    "s5_4": "5.4. Thời gian xử lý",
    "s5_5": "5.5. Nơi tiếp nhận và trả kết quả",
    "s5_6": "5.6. Lệ phí",
    "s5_7": "5.7. Quy trình xử lý công việc",
    "s6": "6. BIỂU MẪU",
    "s7": "7. HỒ SƠ CẦN LƯU",
    "no": "TT",
    "term": "Thuật ngữ, từ viết tắt",
    "meaning": "Giải thích",
    "component": "Tên thành phần hồ sơ",
    "original": "Bản chính",
    "copy": "Bản sao",
    "sets": "Số bộ",
    "step": "Bước",
    "step_name": "Nội dung công việc",
    "responsible": "Trách nhiệm",
    "time": "Thời gian",
    "form": "Biểu mẫu/Kết quả",
    "total_time": "Tổng thời gian giải quyết",
    "form_code": "Mã hiệu",
    "form_name": "Tên biểu mẫu",
    "record": "Hồ sơ lưu",
    "keeper": "Trách nhiệm lưu",
    "retention": "Thời gian lưu",
    "hours": "giờ",
    "days": "ngày",
    "nothing": "Không có.",
}

HOURS_PER_DAY = Decimal(8)  # one working day (Decree 45/2020/NĐ-CP counts working days)

NOT_YET_IN_FORCE = {VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.APPROVED}


# ---------------------------------------------------------------- formatting


def _number(value: Decimal) -> str:
    """A Vietnamese number: decimal comma, no trailing zeros (1,5; 0,25; 40)."""
    text = f"{value.normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def working_time(hours) -> str:
    """Hours of work as printed in a step table: "4 giờ" under a working day, then
    days of 8 hours ("1 ngày", "1,5 ngày"); hours again when days would need more
    than two decimals ("9 giờ"). Text that is not a number is printed as given."""
    if hours is None or hours == "":
        return ""
    try:
        value = Decimal(str(hours).replace(",", "."))
    except InvalidOperation:
        return str(hours)
    if not value.is_finite():
        return str(hours)
    if value >= HOURS_PER_DAY:
        days = value / HOURS_PER_DAY
        if days == days.quantize(Decimal("0.01")):
            return f"{_number(days)} {LABELS['days']}"
    return f"{_number(value)} {LABELS['hours']}"


def _hours(value) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, TypeError):
        return None
    return number if number.is_finite() else None


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _moment(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def _paragraphs(text) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _count(value) -> str:
    """A count in the dossier table: a number, "x" for a tick, blank for none."""
    if value is True:
        return "x"
    if value in (None, "", False, 0, "0"):
        return ""
    return str(value)


def _text(row, key) -> str:
    value = row.get(key, "") if isinstance(row, dict) else ""
    return "" if value is None else str(value)


# ---------------------------------------------------------------- context


def _mark(version: DocumentVersion) -> str:
    if version.is_withdrawn:
        return LABELS["withdrawn"]
    if version.status in NOT_YET_IN_FORCE:
        return LABELS["draft"]
    return ""


def issue_date(version: DocumentVersion) -> dt.date:
    if version.effective_from:
        return version.effective_from
    if version.approved_at:
        return timezone.localdate(version.approved_at)
    return timezone.localdate()


def signoff_block(version: DocumentVersion) -> list[dict]:
    """Columns of the sign-off block: the author's "drafted" sign-off, then each
    configured step (the last one approves, those before it review). Only sign-offs
    that still count fill a column; the others stay blank for a wet signature."""
    drafted = None
    for approval in version.approvals.filter(step_order=0, decision=Decision.DRAFTED).order_by(
        "at", "pk"
    ):
        if approval.content_sha256 == version.content_sha256:
            drafted = approval
    columns = [{"role": LABELS["drafted_by"], "approval": drafted}]
    state = versions.step_state(version)
    for index, item in enumerate(state):
        role = LABELS["approved_by"] if index == len(state) - 1 else LABELS["reviewed_by"]
        columns.append({"role": role, "approval": item["approval"] if item["done"] else None})
    return [
        {
            "role": column["role"],
            "name": column["approval"].user_name if column["approval"] else "",
            "title": column["approval"].user_title if column["approval"] else "",
            "time": _moment(column["approval"].at) if column["approval"] else "",
        }
        for column in columns
    ]


def version_context(version: DocumentVersion) -> dict:
    """Everything the official document prints, as plain values (strings and lists)."""
    document = version.document
    unit = document.unit
    content = empty_content()
    content.update(version.content or {})
    legal = list(version.legal_references.all())
    references = [str(r).strip() for r in content.get("references") or [] if str(r).strip()]
    for law in legal:
        if not any(law.number in ref for ref in references):
            references.append(f"{law.number}: {law.title}")

    steps = []
    total = Decimal(0)
    counted = 0
    for row in content.get("steps") or []:
        if not isinstance(row, dict):
            continue
        hours = _hours(row.get("hours"))
        if hours is not None:
            total += hours
            counted += 1
        steps.append(
            {
                "step": _text(row, "step"),
                "name": _text(row, "name"),
                "responsible": _text(row, "responsible"),
                "time": working_time(row.get("hours")),
                "form": _text(row, "form"),
            }
        )

    def rows(key, fields):
        return [
            {field: _text(row, field) for field in fields}
            for row in content.get(key) or []
            if isinstance(row, dict)
        ]

    issued = issue_date(version)
    return {
        "L": LABELS,
        "pk": version.pk,
        "agency": unit.name,
        "parent": unit.parent.name if unit.parent_id else "",
        "title": document.title,
        "code": document.code,
        "issue_no": version.issue_no,
        "issue_date": issued,
        "issue_date_text": _date(issued),
        "status": version.status,
        "withdrawn": version.is_withdrawn,
        "draft": version.status in NOT_YET_IN_FORCE,
        "mark": _mark(version),
        "signoffs": signoff_block(version),
        "change_log": [
            {
                "request": entry.request,
                "section": entry.section,
                "description": entry.description,
                "issue_no": entry.issue_no,
                "date": _date(entry.date),
            }
            for entry in versions.change_log(version)
        ],
        "is_procedure": document.is_procedure,
        "purpose": _paragraphs(content.get("purpose")),
        "scope": _paragraphs(content.get("scope")),
        "references": references,
        "definitions": rows("definitions", ("term", "meaning")),
        "legal_basis": _paragraphs(content.get("legal_basis")),
        "legal_documents": [f"{law.number}: {law.title}" for law in legal],
        "conditions": _paragraphs(content.get("conditions")),
        "dossier_components": [
            {
                "name": _text(row, "name"),
                "original": _count(row.get("original")),
                "copy": _count(row.get("copy")),
                "sets": _count(row.get("sets")),
            }
            for row in content.get("dossier_components") or []
            if isinstance(row, dict)
        ],
        "processing_time": _paragraphs(content.get("processing_time")),
        "where": _paragraphs(content.get("where")),
        "fees": _paragraphs(content.get("fees")),
        "steps": steps,
        "total_time": working_time(total) if counted else "",
        "forms": rows("forms", ("code", "name")),
        "records": rows("records", ("record", "keeper", "retention")),
        "body": _paragraphs(content.get("body")),
    }


# ---------------------------------------------------------------- HTML and PDF


def render_html(
    version: DocumentVersion, *, full: bool = False, pdf: bool = False, context: dict | None = None
) -> str:
    """The document as HTML: a fragment to place inside a page (its styles scoped to
    `.qms-doc`), or with `full=True` a self-contained print page: for a browser's
    print (page numbers in the page's bottom margin), or with `pdf=True` the page the
    PDF is made of (page x/y in the header repeated on every page)."""
    doc = context or version_context(version)
    if full:
        return render_to_string(
            "documents/render/print.html", {"doc": doc, "for_print": True, "pdf": pdf}
        )
    return render_to_string("documents/render/fragment.html", {"doc": doc, "for_print": False})


def render_pdf(version: DocumentVersion, *, context: dict | None = None) -> bytes:
    return html_to_pdf(render_html(version, full=True, pdf=True, context=context))


# ---------------------------------------------------------------- DOCX

# Column widths (cm) of each table; each row adds up to the text width (16 cm).
HEADER_COLS = (4.8, 5.8, 5.4)
CHANGE_COLS = (2.9, 2.5, 5.9, 2.0, 2.7)
DEFINITION_COLS = (4.5, 11.5)
DOSSIER_COLS = (1.0, 9.6, 1.8, 1.8, 1.8)
STEP_COLS = (1.6, 4.7, 3.9, 2.2, 3.6)
FORM_COLS = (1.0, 3.2, 11.8)
RECORD_COLS = (1.0, 6.6, 5.2, 3.2)


def _header(section, doc: dict) -> None:
    header = section.header
    header.is_linked_to_previous = False
    first = header.paragraphs[0]
    if doc["mark"]:
        D.add_text(first, doc["mark"], bold=True, color=D.RED, size=12)
        first.alignment = D.CENTER
        first.paragraph_format.space_after = D.Pt(2)
    else:
        first._p.getparent().remove(first._p)
    table = D.add_table(header, HEADER_COLS, [["", "", ""]], size=11)
    agency, title, meta = table.rows[0].cells
    lines = ([doc["parent"].upper()] if doc["parent"] else []) + [doc["agency"].upper()]
    D.set_cell(agency, "\n".join(lines), size=11, align=D.CENTER)
    agency.paragraphs[-1].runs[0].bold = True
    D.set_cell(title, doc["title"].upper(), bold=True, size=12, align=D.CENTER)
    L = doc["L"]
    D.set_cell(
        meta,
        f"{L['code']}: {doc['code']}\n{L['issue']}: {doc['issue_no']}\n"
        f"{L['issue_date']}: {doc['issue_date_text']}\n",
        size=11,
    )
    page = meta.paragraphs[-1]
    D.add_text(page, f"{L['page']}: ", size=11)
    D.add_field(page, "PAGE", "1", size=11)
    D.add_text(page, "/", size=11)
    D.add_field(page, "NUMPAGES", "1", size=11)
    # A header (like a table cell) must end with a paragraph.
    spacer = header.add_paragraph()
    spacer.paragraph_format.space_after = D.Pt(0)


def _signoff_table(body, doc: dict) -> None:
    L = doc["L"]
    columns = doc["signoffs"]
    label_width = 2.8
    width = (D.TEXT_WIDTH_CM - label_width) / len(columns)
    rows = [
        [L["name"]] + [c["name"] for c in columns],
        [L["title"]] + [c["title"] for c in columns],
        [L["signed_at"]] + [c["time"] for c in columns],
    ]
    table = D.add_table(
        body,
        (label_width, *([width] * len(columns))),
        rows,
        header=["", *(c["role"] for c in columns)],
        size=12,
        align=[D.LEFT] + [D.CENTER] * len(columns),
    )
    for row in table.rows[1:]:
        row.cells[0].paragraphs[0].runs[0].bold = True
        D.min_height(row, 0.8)


def _heading(body, text: str, level: int = 1) -> None:
    body.add_heading(text, level=level)


def _paras(body, lines: list[str], nothing: str) -> None:
    for line in lines or [nothing]:
        D.add_paragraph(body, line, align=D.JUSTIFY)


def _bullets(body, lines: list[str], nothing: str) -> None:
    if not lines:
        D.add_paragraph(body, nothing)
    for line in lines:
        paragraph = body.add_paragraph(style="List Bullet")
        D.add_text(paragraph, line)


def render_docx(version: DocumentVersion, *, context: dict | None = None) -> bytes:
    doc = context or version_context(version)
    L = doc["L"]
    word = D.new_document(
        title=f"{doc['code']} {doc['title']}",
        author=doc["agency"],
        subject=f"{L['issue']}: {doc['issue_no']}",
    )
    _header(word.sections[0], doc)
    body = word
    if doc["mark"]:
        D.add_paragraph(body, doc["mark"], bold=True, color=D.RED, size=16, align=D.CENTER)

    _signoff_table(body, doc)

    D.add_paragraph(
        body, L["change_log"], bold=True, align=D.CENTER, space_after=3
    ).paragraph_format.space_before = D.Pt(12)
    changes = [
        [c["request"], c["section"], c["description"], c["issue_no"], c["date"]]
        for c in doc["change_log"]
    ] or [["", "", "", "", ""]]
    D.add_table(
        body,
        CHANGE_COLS,
        changes,
        header=[
            L["change_request"],
            L["change_section"],
            L["change_description"],
            L["change_issue"],
            L["change_date"],
        ],
        align=[D.LEFT, D.LEFT, D.LEFT, D.CENTER, D.CENTER],
    )

    if not doc["is_procedure"]:
        D.add_paragraph(body, "")
        _paras(body, doc["body"], L["nothing"])
        return D.to_bytes(word)

    nothing = L["nothing"]
    _heading(body, L["s1"])
    _paras(body, doc["purpose"], nothing)
    _heading(body, L["s2"])
    _paras(body, doc["scope"], nothing)
    _heading(body, L["s3"])
    _bullets(body, doc["references"], nothing)
    _heading(body, L["s4"])
    if doc["definitions"]:
        D.add_table(
            body,
            DEFINITION_COLS,
            [[d["term"], d["meaning"]] for d in doc["definitions"]],
            header=[L["term"], L["meaning"]],
        )
    else:
        D.add_paragraph(body, nothing)
    _heading(body, L["s5"])
    _heading(body, L["s5_1"], 2)
    if doc["legal_basis"]:
        _paras(body, doc["legal_basis"], nothing)
    else:
        _bullets(body, doc["legal_documents"], nothing)
    _heading(body, L["s5_2"], 2)
    _paras(body, doc["conditions"], nothing)
    _heading(body, L["s5_3"], 2)
    if doc["dossier_components"]:
        D.add_table(
            body,
            DOSSIER_COLS,
            [
                [i, d["name"], d["original"], d["copy"], d["sets"]]
                for i, d in enumerate(doc["dossier_components"], start=1)
            ],
            header=[L["no"], L["component"], L["original"], L["copy"], L["sets"]],
            align=[D.CENTER, D.LEFT, D.CENTER, D.CENTER, D.CENTER],
        )
    else:
        D.add_paragraph(body, nothing)
    _heading(body, L["s5_4"], 2)
    _paras(body, doc["processing_time"], nothing)
    _heading(body, L["s5_5"], 2)
    _paras(body, doc["where"], nothing)
    _heading(body, L["s5_6"], 2)
    _paras(body, doc["fees"], nothing)
    _heading(body, L["s5_7"], 2)
    if doc["steps"]:
        step_rows = [
            [s["step"], s["name"], s["responsible"], s["time"], s["form"]] for s in doc["steps"]
        ]
        table = D.add_table(
            body,
            STEP_COLS,
            step_rows + ([["", "", "", doc["total_time"], ""]] if doc["total_time"] else []),
            header=[L["step"], L["step_name"], L["responsible"], L["time"], L["form"]],
            align=[D.CENTER, D.LEFT, D.LEFT, D.CENTER, D.LEFT],
        )
        if doc["total_time"]:
            total = table.rows[-1]
            merged = total.cells[0].merge(total.cells[2])
            D.set_cell(merged, L["total_time"], bold=True, size=12, align=D.LEFT)
            D.set_cell(total.cells[3], doc["total_time"], bold=True, size=12, align=D.CENTER)
    else:
        D.add_paragraph(body, nothing)
    _heading(body, L["s6"])
    if doc["forms"]:
        D.add_table(
            body,
            FORM_COLS,
            [[i, f["code"], f["name"]] for i, f in enumerate(doc["forms"], start=1)],
            header=[L["no"], L["form_code"], L["form_name"]],
            align=[D.CENTER, D.LEFT, D.LEFT],
        )
    else:
        D.add_paragraph(body, nothing)
    _heading(body, L["s7"])
    if doc["records"]:
        D.add_table(
            body,
            RECORD_COLS,
            [
                [i, r["record"], r["keeper"], r["retention"]]
                for i, r in enumerate(doc["records"], start=1)
            ],
            header=[L["no"], L["record"], L["keeper"], L["retention"]],
            align=[D.CENTER, D.LEFT, D.LEFT, D.CENTER],
        )
    else:
        D.add_paragraph(body, nothing)
    # Word wants the body to end with a paragraph, not a table.
    body.add_paragraph()
    return D.to_bytes(word)

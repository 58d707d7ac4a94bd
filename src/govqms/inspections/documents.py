"""The inspection documents of Circular 26/2014/TT-BKHCN as DOCX, in the layout of
Decree 30/2020/NĐ-CP (national motto, agency block, number, place and date, title,
body, signer): the yearly plan (form 19), the inspection decision (form 20) and the
minutes (form 21, made in two copies, one kept by each side).

They are official Vietnamese documents: the fixed wording is Vietnamese (the forms'
text), the rest is the records' own Vietnamese data; labels of choices are read under
translation.override("vi"). A value not recorded yet prints as a dotted blank, so a
draft can be printed and filled by hand."""

import datetime as dt

from django.utils import translation

from govqms.organizations.models import Unit, UnitKind
from govqms.reports import docx as D

from .models import Inspection, InspectionFinding, InspectionPlan

BLANK = "……"
MOTTO1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO2 = "Độc lập - Tự do - Hạnh phúc"
SUBJECT = (
    "việc áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo "
    "Tiêu chuẩn quốc gia TCVN ISO 9001:2015"
)
BASES = [
    "Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính phủ "
    "về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2008 "
    "vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước;",
    "Căn cứ Thông tư số 26/2014/TT-BKHCN ngày 10 tháng 10 năm 2014 của Bộ trưởng Bộ Khoa học "
    "và Công nghệ quy định chi tiết thi hành Quyết định số 19/2014/QĐ-TTg;",
]
MODE_VI = {
    Inspection.Mode.ON_SITE: "Kiểm tra tại cơ quan",
    Inspection.Mode.RECORDS: "Kiểm tra qua hồ sơ, báo cáo",
}
MODE_PHRASE = {
    Inspection.Mode.ON_SITE: "tại cơ quan",
    Inspection.Mode.RECORDS: "qua hồ sơ, báo cáo",
}
GRADE_VI = {
    InspectionFinding.Grade.NONCONFORMITY: "Điểm không phù hợp",
    InspectionFinding.Grade.OBSERVATION: "Điểm lưu ý",
}
SIGNER = "GIÁM ĐỐC"


def vn_date(day: dt.date | None) -> str:
    """ "ngày 05 tháng 3 năm 2026" (Decree 30/2020: days below 10 and the months
    January and February with a leading zero)."""
    if day is None:
        return f"ngày {BLANK} tháng {BLANK} năm {BLANK}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else BLANK


def issuer(owner: Unit) -> Unit:
    """The DoST of the owner's province (the unit that signs), else the owner."""
    dost = (
        Unit.objects.filter(path__startswith=owner.path, kind=UnitKind.DOST)
        .order_by("path")
        .first()
    )
    return dost or owner


def _heading_block(word, owner: Unit, *, number: str, place_day: dt.date | None):
    """Agency block and motto side by side; number and place/date below them."""
    signer_unit = issuer(owner)
    parent = owner.name.upper() if signer_unit.pk != owner.pk else ""
    table = D.add_table(word, (6.4, 9.6), [["", ""], ["", ""]], size=12, fill_header=False)
    agency, motto = table.rows[0].cells
    lines = ([parent] if parent else []) + [signer_unit.name.upper()]
    D.set_cell(agency, "\n".join(lines), size=12, align=D.CENTER)
    agency.paragraphs[-1].runs[0].bold = True
    D.set_cell(motto, f"{MOTTO1}\n{MOTTO2}", bold=True, size=12, align=D.CENTER)
    motto.paragraphs[0].runs[0].font.size = D.Pt(12)
    number_cell, date_cell = table.rows[1].cells
    D.set_cell(number_cell, number, size=13, align=D.CENTER)
    place = owner.province or ""
    D.set_cell(date_cell, f"{place}, {vn_date(place_day)}", italic=True, size=13, align=D.CENTER)
    D.no_borders(table)
    return signer_unit


def _title(word, title: str, subtitle: str = ""):
    D.add_paragraph(word, title, bold=True, size=14, align=D.CENTER, space_after=0)
    if subtitle:
        D.add_paragraph(word, subtitle, bold=True, align=D.CENTER)


def _body(word, text: str, **fmt):
    for line in (text or "").splitlines():
        if line.strip():
            D.add_paragraph(word, line.strip(), align=D.JUSTIFY, **fmt)


def _signatures(word, left: str, right: str, left_name: str = "", right_name: str = ""):
    table = D.add_table(
        word,
        (8.0, 8.0),
        [[f"{left}\n\n\n\n{left_name}", f"{right}\n\n\n\n{right_name}"]],
        size=12,
        fill_header=False,
    )
    for cell in table.rows[0].cells:
        for paragraph in cell.paragraphs:
            paragraph.alignment = D.CENTER
            for run in paragraph.runs:
                run.bold = True
    D.no_borders(table)


def _recipients(word, lines):
    paragraph = D.add_paragraph(word, "Nơi nhận:", bold=True, italic=True, size=12, space_after=0)
    paragraph.paragraph_format.space_before = D.Pt(12)
    for line in lines:
        D.add_paragraph(word, f"- {line}", size=11, space_after=0)


def _people(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# ---------------------------------------------------------------- form 19: the plan


def plan_docx(plan: InspectionPlan) -> bytes:
    with translation.override("vi"):
        return _plan_docx(plan)


def _plan_docx(plan: InspectionPlan) -> bytes:
    owner = plan.owner
    rows = list(
        plan.inspections.select_related("unit").order_by("mode", "planned_month", "unit__name")
    )
    on_site = sum(1 for r in rows if r.is_on_site)
    word = D.new_document(title=plan.title, author=issuer(owner).name, subject="Kế hoạch kiểm tra")
    day = plan.approved_at.date() if plan.approved_at else None
    number = f"Số: {plan.number}" if plan.number else f"Số: {BLANK}/KH-SKHCN"
    signer_unit = _heading_block(word, owner, number=number, place_day=day)
    _title(word, "KẾ HOẠCH", f"Kiểm tra {SUBJECT} năm {plan.year}")
    D.add_paragraph(
        word, "(Mẫu số 19, Thông tư số 26/2014/TT-BKHCN)", italic=True, size=11, align=D.CENTER
    )
    word.add_heading("I. MỤC ĐÍCH, YÊU CẦU", level=1)
    _body(
        word,
        "Đánh giá việc xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng "
        f"của các cơ quan, tổ chức thuộc phạm vi quản lý trên địa bàn {owner.province}; "
        "kịp thời hướng dẫn khắc phục những tồn tại, hạn chế.\n"
        "Việc kiểm tra bảo đảm khách quan, đúng quy định, không gây cản trở hoạt động "
        "bình thường của cơ quan được kiểm tra.",
    )
    word.add_heading("II. NỘI DUNG, HÌNH THỨC KIỂM TRA", level=1)
    _body(
        word,
        "Nội dung: việc công bố Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia "
        "TCVN ISO 9001:2015; việc áp dụng, duy trì và cải tiến Hệ thống; việc cập nhật "
        "các thay đổi của văn bản quy phạm pháp luật.\n"
        f"Hình thức: kiểm tra qua hồ sơ, báo cáo đối với toàn bộ {len(rows)} cơ quan; "
        f"kiểm tra tại cơ quan đối với {on_site} cơ quan"
        f" ({_percent(on_site, len(rows))} số cơ quan).",
    )
    word.add_heading("III. DANH SÁCH CƠ QUAN ĐƯỢC KIỂM TRA", level=1)
    D.add_table(
        word,
        (1.1, 7.4, 4.2, 2.0, 1.3),
        [
            [
                str(i),
                r.unit.name,
                MODE_VI[r.mode],
                f"Tháng {r.planned_month}" if r.planned_month else BLANK,
                "",
            ]
            for i, r in enumerate(rows, 1)
        ],
        header=["STT", "Tên cơ quan", "Hình thức kiểm tra", "Thời gian", "Ghi chú"],
        size=11,
        align=[D.CENTER, D.LEFT, D.LEFT, D.CENTER, D.LEFT],
    )
    word.add_heading("IV. TỔ CHỨC THỰC HIỆN", level=1)
    _body(
        word,
        f"{signer_unit.name} thành lập các Đoàn kiểm tra, thông báo lịch kiểm tra cụ thể "
        "đến cơ quan được kiểm tra và tổng hợp kết quả báo cáo Ủy ban nhân dân tỉnh "
        "trong tháng 11.\n"
        "Các cơ quan được kiểm tra chuẩn bị hồ sơ, báo cáo và cử đại diện làm việc với "
        "Đoàn kiểm tra; báo cáo kết quả khắc phục trong thời hạn 02 tháng kể từ ngày "
        "kiểm tra.",
    )
    _recipients_and_signer(
        word, ["Ủy ban nhân dân tỉnh (để báo cáo);", "Các cơ quan có tên tại Mục III;", "Lưu: VT."]
    )
    return D.to_bytes(word)


def _percent(part: int, total: int) -> str:
    from govqms.assessments.figures import percent, share

    return percent(share(part, total))


def _recipients_and_signer(word, recipients):
    table = D.add_table(word, (8.0, 8.0), [["", ""]], size=12, fill_header=False)
    left, right = table.rows[0].cells
    D.set_cell(left, "Nơi nhận:\n" + "\n".join(f"- {r}" for r in recipients), size=11, valign="top")
    left.paragraphs[0].runs[0].bold = True
    left.paragraphs[0].runs[0].italic = True
    D.set_cell(right, f"{SIGNER}\n\n\n\n", bold=True, size=12, align=D.CENTER, valign="top")
    D.no_borders(table)


# ---------------------------------------------------------------- form 20: the decision


def decision_docx(inspection: Inspection) -> bytes:
    with translation.override("vi"):
        return _decision_docx(inspection)


def _decision_docx(inspection: Inspection) -> bytes:
    plan = inspection.plan
    owner = plan.owner
    unit = inspection.unit
    word = D.new_document(
        title=f"Quyết định kiểm tra {unit.name}", author=issuer(owner).name, subject="Quyết định"
    )
    number = inspection.decision_number or f"{BLANK}/QĐ-SKHCN"
    signer_unit = _heading_block(
        word, owner, number=f"Số: {number}", place_day=inspection.decision_date
    )
    _title(word, "QUYẾT ĐỊNH", f"Về việc kiểm tra {SUBJECT} tại {unit.name}")
    D.add_paragraph(
        word, "(Mẫu số 20, Thông tư số 26/2014/TT-BKHCN)", italic=True, size=11, align=D.CENTER
    )
    D.add_paragraph(word, f"{SIGNER} {signer_unit.name.upper()}", bold=True, align=D.CENTER)
    for line in BASES:
        D.add_paragraph(word, line, italic=True, align=D.JUSTIFY)
    plan_ref = f"số {plan.number}" if plan.number else ""
    D.add_paragraph(
        word,
        f"Căn cứ Kế hoạch {plan_ref} kiểm tra {SUBJECT} năm {plan.year};".replace("  ", " "),
        italic=True,
        align=D.JUSTIFY,
    )
    D.add_paragraph(word, "QUYẾT ĐỊNH:", bold=True, align=D.CENTER)
    team = _people(inspection.team)
    lead = inspection.lead.display_name if inspection.lead else BLANK
    paragraph = D.add_paragraph(word, "Điều 1. ", bold=True, align=D.JUSTIFY)
    D.add_text(
        paragraph,
        f"Thành lập Đoàn kiểm tra {SUBJECT} tại {unit.name}, gồm các thành viên sau:",
    )
    D.add_paragraph(word, f"- Ông/Bà {lead}: Trưởng đoàn;", align=D.JUSTIFY)
    for member in team:
        D.add_paragraph(word, f"- {member};", align=D.JUSTIFY)
    if not team:
        D.add_paragraph(word, f"- {BLANK}", align=D.JUSTIFY)
    paragraph = D.add_paragraph(word, "Điều 2. ", bold=True, align=D.JUSTIFY)
    D.add_text(
        paragraph,
        f"Đoàn kiểm tra có nhiệm vụ kiểm tra {SUBJECT} tại {unit.name} vào ngày "
        f"{short_date(inspection.scheduled_on)}; lập biên bản kiểm tra và báo cáo kết quả "
        f"với {SIGNER.capitalize()} {signer_unit.name}. Đoàn kiểm tra tự giải thể sau khi "
        "hoàn thành nhiệm vụ.",
    )
    paragraph = D.add_paragraph(word, "Điều 3. ", bold=True, align=D.JUSTIFY)
    D.add_text(
        paragraph,
        "Quyết định này có hiệu lực kể từ ngày ký. Các thành viên Đoàn kiểm tra, "
        f"Thủ trưởng {unit.name} và các cá nhân có liên quan chịu trách nhiệm thi hành "
        "Quyết định này.",
    )
    _recipients_and_signer(word, ["Như Điều 3;", "Lưu: VT."])
    return D.to_bytes(word)


# ---------------------------------------------------------------- form 21: the minutes


def minutes_docx(inspection: Inspection) -> bytes:
    with translation.override("vi"):
        return _minutes_docx(inspection)


def _minutes_docx(inspection: Inspection) -> bytes:
    plan = inspection.plan
    owner = plan.owner
    unit = inspection.unit
    findings = list(inspection.findings.order_by("order", "pk"))
    word = D.new_document(
        title=f"Biên bản kiểm tra {unit.name}", author=issuer(owner).name, subject="Biên bản"
    )
    signer_unit = _heading_block(word, owner, number="", place_day=inspection.inspected_on)
    _title(word, "BIÊN BẢN KIỂM TRA", f"{SUBJECT[0].upper()}{SUBJECT[1:]}")
    D.add_paragraph(
        word, "(Mẫu số 21, Thông tư số 26/2014/TT-BKHCN)", italic=True, size=11, align=D.CENTER
    )
    if inspection.decision_number:
        D.add_paragraph(
            word,
            f"Căn cứ Quyết định số {inspection.decision_number} "
            f"{vn_date(inspection.decision_date)} của {SIGNER.capitalize()} "
            f"{signer_unit.name} về việc kiểm tra {SUBJECT} tại {unit.name};",
            italic=True,
            align=D.JUSTIFY,
        )
    else:
        D.add_paragraph(
            word,
            f"Căn cứ Kế hoạch kiểm tra {SUBJECT} năm {plan.year} của {signer_unit.name};",
            italic=True,
            align=D.JUSTIFY,
        )
    D.add_paragraph(
        word,
        f"Hôm nay, {vn_date(inspection.inspected_on)}, tại {unit.name}, Đoàn kiểm tra "
        f"đã tiến hành kiểm tra {MODE_PHRASE[inspection.mode]}, gồm:",
        align=D.JUSTIFY,
    )
    word.add_heading("I. THÀNH PHẦN", level=1)
    D.add_paragraph(word, "1. Đoàn kiểm tra:", bold=True)
    lead = inspection.lead.display_name if inspection.lead else BLANK
    D.add_paragraph(word, f"- Ông/Bà {lead}: Trưởng đoàn;")
    for member in _people(inspection.team):
        D.add_paragraph(word, f"- {member};")
    D.add_paragraph(word, "2. Đại diện cơ quan được kiểm tra:", bold=True)
    for person in _people(inspection.agency_representatives) or [BLANK]:
        D.add_paragraph(word, f"- {person};")
    word.add_heading("II. KẾT QUẢ KIỂM TRA", level=1)
    _body(word, inspection.summary or BLANK)
    D.add_paragraph(word, "Các phát hiện:", bold=True)
    if findings:
        D.add_table(
            word,
            (1.1, 2.0, 9.3, 3.6),
            [
                [str(i), f.clause or "", f.text, GRADE_VI[f.grade]]
                for i, f in enumerate(findings, 1)
            ],
            header=["STT", "Điều khoản", "Nội dung phát hiện", "Mức độ"],
            size=11,
            align=[D.CENTER, D.CENTER, D.LEFT, D.LEFT],
        )
    else:
        D.add_paragraph(word, "Không có.", italic=True)
    word.add_heading("III. KẾT LUẬN VÀ KIẾN NGHỊ", level=1)
    _body(word, inspection.conclusion or BLANK)
    if any(f.grade == InspectionFinding.Grade.NONCONFORMITY for f in findings):
        D.add_paragraph(
            word,
            f"{unit.name} khắc phục các điểm không phù hợp nêu trên và báo cáo kết quả "
            f"khắc phục về {signer_unit.name} trước ngày "
            f"{short_date(inspection.corrective_report_due)}.",
            align=D.JUSTIFY,
        )
    D.add_paragraph(
        word,
        "Biên bản được lập thành 02 bản có giá trị pháp lý như nhau, mỗi bên giữ 01 bản. "
        "Biên bản đã được đọc lại cho các thành viên cùng nghe và thống nhất ký tên.",
        italic=True,
        align=D.JUSTIFY,
    )
    _signatures(
        word,
        "ĐẠI DIỆN CƠ QUAN ĐƯỢC KIỂM TRA",
        "TRƯỞNG ĐOÀN KIỂM TRA",
        "",
        lead if inspection.lead else "",
    )
    return D.to_bytes(word)

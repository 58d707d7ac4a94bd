"""An agency's own annual report on its QMS, compiled from its records in govqms and
laid out as an official report (Decree 30/2020/NĐ-CP) signed by its head: scope
(TTHC coverage) and announcement, documents issued and reviewed, internal audits and
their findings, nonconformities opened and closed, management review, quality
objectives, dossiers resolved on time, and the year's assessment result once final.

Callers have checked that the reader may see inside the agency
(organizations.selectors.get_internal_unit)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone, translation

from govqms.assessments import figures as F
from govqms.organizations.models import Unit

from . import report_layout as L
from .provincial_reports import band_vi, points

OBJECTIVE_STATUS_VI = {
    "on_track": "Đạt",
    "at_risk": "Có nguy cơ không đạt",
    "off_track": "Không đạt",
}
GRADE_VI = {
    "major": "không phù hợp nặng",
    "minor": "không phù hợp nhẹ",
    "observation": "khuyến nghị",
    "ofi": "cơ hội cải tiến",
    "good_practice": "điểm mạnh",
}
ANNOUNCEMENT_VI = {
    "current": "Đã công bố, còn hiệu lực",
    "needed": "Cần công bố lại",
    "none": "Chưa công bố",
}


def _d(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


@dataclass
class AgencyYear:
    unit: Unit
    year: int
    coverage: object
    announcement: object
    documents_issued: int = 0
    documents_new: int = 0
    documents_revised: int = 0
    documents_reviewed: int = 0
    audits: list = field(default_factory=list)  # [{"title", "dates", "grades": Counter}]
    nc_opened: int = 0
    nc_closed: int = 0
    nc_open: int = 0
    actions_overdue: int = 0
    reviews: list = field(default_factory=list)
    objectives: list = field(default_factory=list)
    on_time_rate: object = None
    dossiers_resolved: int = 0
    dossiers_on_time: int = 0
    assessment: object = None
    inspection: object = None
    head: object = None

    @property
    def assessment_points(self) -> str:
        return points(self.assessment.final_total) if self.assessment else ""

    @property
    def audit_findings(self) -> Counter:
        total = Counter()
        for a in self.audits:
            total.update(a["grades"])
        return total


def _documents(unit: Unit, year: int, data: AgencyYear) -> None:
    from govqms.core.models import AuditEntry
    from govqms.documents.models import DocumentVersion

    issued = DocumentVersion.objects.filter(
        document__unit=unit, effective_from__year=year
    ).values_list("issue_no", flat=True)
    issues = list(issued)
    data.documents_issued = len(issues)
    data.documents_new = sum(1 for n in issues if n == 1)
    data.documents_revised = data.documents_issued - data.documents_new
    data.documents_reviewed = AuditEntry.objects.filter(
        unit=unit, action="document_reviewed", at__year=year
    ).count()


def _audits(unit: Unit, year: int, data: AgencyYear) -> None:
    from govqms.audits.models import Finding
    from govqms.audits.selectors import completed_audits

    plans = list(completed_audits(unit, year).order_by("planned_start", "pk"))
    grades = {p.pk: Counter() for p in plans}
    for plan_id, grade in Finding.objects.filter(plan__in=plans).values_list("plan_id", "grade"):
        grades[plan_id][grade] += 1
    data.audits = [
        {
            "title": p.title,
            "date": _d(timezone.localtime(p.planned_start).date()) if p.planned_start else "",
            "grades": grades[p.pk],
        }
        for p in plans
    ]


def _improvement(unit: Unit, year: int, data: AgencyYear) -> None:
    from govqms.improvement.selectors import period_summary

    s = period_summary(unit, dt.date(year, 1, 1), dt.date(year, 12, 31))
    data.nc_opened = len(s["opened"])
    data.nc_closed = len(s["closed"])
    data.nc_open = sum(s["open_by_status"].values())
    data.actions_overdue = len(s["overdue_actions"])


def _reviews(user, unit: Unit, year: int, data: AgencyYear) -> None:
    from govqms.reviews.models import ReviewStatus
    from govqms.reviews.selectors import reviews

    held = (
        reviews(user, unit)
        .filter(
            status__in=[ReviewStatus.HELD, ReviewStatus.MINUTES_ISSUED],
            held_at__date__gte=dt.date(year, 1, 1),
            held_at__date__lte=dt.date(year, 12, 31),
        )
        .order_by("held_at")
    )
    data.reviews = [
        {"title": r.title, "date": _d(timezone.localtime(r.held_at).date())} for r in held
    ]


def _objectives(unit: Unit, year: int, data: AgencyYear) -> None:
    from govqms.planning.selectors import objectives

    data.objectives = [
        {
            "title": o.title,
            "target": f"{points(o.target)} {o.measure_unit}".strip(),
            "value": f"{points(o.last_value)} {o.measure_unit}".strip()
            if o.last_value is not None
            else "",
            "status": OBJECTIVE_STATUS_VI.get(o.last_status, "Chưa đo"),
        }
        for o in objectives(unit, year)
    ]


def _dossiers(unit: Unit, year: int, data: AgencyYear) -> None:
    from govqms.planning.selectors import dossier_kpi

    rate, basis = dossier_kpi(
        unit, "on_time_rate", None, dt.date(year, 1, 1), dt.date(year, 12, 31)
    )
    data.on_time_rate = rate
    data.dossiers_resolved = basis.get("resolved", 0)
    data.dossiers_on_time = basis.get("on_time_or_early", 0)


def _dost_results(user, unit: Unit, year: int, data: AgencyYear) -> None:
    """The DoST's word on the year: the final assessment and the inspection."""
    from govqms.assessments.models import Assessment
    from govqms.assessments.selectors import visible_assessments
    from govqms.inspections.selectors import year_inspections

    data.assessment = (
        visible_assessments(user)
        .filter(unit=unit, campaign__year=year, status=Assessment.Status.FINAL)
        .first()
    )
    data.inspection = year_inspections(user, year).filter(unit=unit).first()


def agency_year(user, unit: Unit, year: int) -> AgencyYear:
    from govqms.procedures.selectors import coverage
    from govqms.reviews.selectors import heads

    from .selectors import announcement_status

    data = AgencyYear(
        unit=unit, year=year, coverage=coverage(unit), announcement=announcement_status(unit)
    )
    _documents(unit, year, data)
    _audits(unit, year, data)
    _improvement(unit, year, data)
    _reviews(user, unit, year, data)
    _objectives(unit, year, data)
    _dossiers(unit, year, data)
    _dost_results(user, unit, year, data)
    people = heads(unit)
    data.head = people[0] if people else None
    return data


def _grades_text(grades: Counter) -> str:
    if not grades:
        return "không có phát hiện"
    return ", ".join(f"{n} {GRADE_VI.get(g, g)}" for g, n in sorted(grades.items()))


def official(data: AgencyYear, *, today: dt.date | None = None) -> L.Official:
    """The annual report as an official document of the agency, addressed to the DoST."""
    today = today or timezone.localdate()
    unit, year = data.unit, data.year
    day = min(today, dt.date(year, 12, 31))
    B = []
    B.append(L.h1("I. PHẠM VI VÀ CÔNG BỐ HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG"))
    c = data.coverage
    if c.assigned:
        B.append(
            L.para(
                f"Cơ quan được giao giải quyết {c.assigned} thủ tục hành chính; "
                f"{c.covered}/{c.assigned} thủ tục ({F.percent(F.share(c.covered, c.assigned))})"
                " đã có quy trình giải quyết trong hệ thống quản lý chất lượng."
            )
        )
    else:
        B.append(L.para("Cơ quan chưa được giao thủ tục hành chính nào trong hệ thống."))
    ann = data.announcement
    line = f"Tình trạng công bố hệ thống quản lý chất lượng: {ANNOUNCEMENT_VI[ann.status]}"
    if ann.current is not None:
        line += (
            f" (Quyết định số {ann.current.decision_number} ngày {_d(ann.current.decision_date)})"
        )
    B.append(L.para(line + "."))

    B.append(L.h1("II. KẾT QUẢ DUY TRÌ, ÁP DỤNG TRONG NĂM"))
    B.append(L.h2("1. Kiểm soát tài liệu"))
    B.append(
        L.para(
            f"Trong năm {year}, cơ quan đã ban hành {data.documents_issued} tài liệu "
            f"({data.documents_new} ban hành mới, {data.documents_revised} sửa đổi) và rà soát "
            f"định kỳ {data.documents_reviewed} tài liệu."
        )
    )
    B.append(L.h2("2. Đánh giá nội bộ"))
    if data.audits:
        B.append(
            L.table(
                (1.0, 8.0, 2.4, 4.6),
                ["TT", "Cuộc đánh giá", "Ngày", "Phát hiện"],
                [
                    [i, a["title"], a["date"], _grades_text(a["grades"])]
                    for i, a in enumerate(data.audits, start=1)
                ],
                "clcl",
            )
        )
    else:
        B.append(L.para(f"Trong năm {year}, cơ quan chưa hoàn thành cuộc đánh giá nội bộ nào."))
    B.append(L.h2("3. Sự không phù hợp và hành động khắc phục"))
    B.append(
        L.para(
            f"Phát sinh {data.nc_opened} sự không phù hợp, đã khắc phục xong {data.nc_closed}; "
            f"còn {data.nc_open} chưa đóng tại cuối kỳ; {data.actions_overdue} hành động khắc "
            "phục quá hạn."
        )
    )
    B.append(L.h2("4. Xem xét của lãnh đạo"))
    if data.reviews:
        B.append(L.bullets([f"{r['title']}, ngày {r['date']}" for r in data.reviews]))
    else:
        B.append(L.para(f"Trong năm {year}, cơ quan chưa tổ chức họp xem xét của lãnh đạo."))
    B.append(L.h2("5. Mục tiêu chất lượng"))
    if data.objectives:
        B.append(
            L.table(
                (1.0, 7.4, 2.4, 2.4, 2.8),
                ["TT", "Mục tiêu", "Chỉ tiêu", "Kết quả", "Đánh giá"],
                [
                    [i, o["title"], o["target"], o["value"], o["status"]]
                    for i, o in enumerate(data.objectives, start=1)
                ],
                "clccc",
            )
        )
    else:
        B.append(L.para(f"Cơ quan chưa xác lập mục tiêu chất lượng năm {year}."))
    B.append(L.h2("6. Kết quả giải quyết hồ sơ"))
    if data.dossiers_resolved:
        B.append(
            L.para(
                f"Đã giải quyết {data.dossiers_resolved} hồ sơ, trong đó "
                f"{data.dossiers_on_time} hồ sơ đúng hạn hoặc trước hạn "
                f"({F.percent(F.share(data.dossiers_on_time, data.dossiers_resolved))})."
            )
        )
    else:
        B.append(L.para("Chưa có số liệu hồ sơ được giải quyết trong năm."))

    B.append(L.h1("III. KẾT QUẢ ĐÁNH GIÁ, KIỂM TRA CỦA SỞ KHOA HỌC VÀ CÔNG NGHỆ"))
    a = data.assessment
    if a is not None:
        B.append(
            L.para(
                f"Kết quả đánh giá năm {year}: {points(a.final_total)} điểm, xếp loại "
                f"{band_vi(a.band)}" + (f", xếp hạng {a.rank}." if a.rank else ".")
            )
        )
    else:
        B.append(L.para(f"Chưa có kết quả đánh giá chính thức năm {year}."))
    insp = data.inspection
    if insp is not None:
        with translation.override("vi"):
            mode = str(insp.get_mode_display()).lower()
        done = f", ngày {_d(insp.inspected_on)}" if insp.inspected_on else ""
        B.append(L.para(f"Cơ quan được kiểm tra năm {year} theo hình thức {mode}{done}."))
    B.append(L.h1("IV. PHƯƠNG HƯỚNG NĂM TIẾP THEO"))
    B.append(
        L.para(
            "Tiếp tục duy trì, cải tiến hệ thống quản lý chất lượng; cập nhật kịp thời các văn "
            "bản pháp luật mới; đánh giá nội bộ và xem xét của lãnh đạo theo đúng kế hoạch./."
        )
    )
    province = unit.province or ""
    head = data.head
    return L.Official(
        authority=unit.parent.name if unit.parent_id else "",
        issuer=unit.name,
        number="…/BC",
        place_date=L.place_date(province, day),
        title="BÁO CÁO",
        subtitle=(
            "Kết quả duy trì, áp dụng hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia "
            f"TCVN ISO 9001:2015 năm {year}"
        ),
        addressee=f"Kính gửi: Sở Khoa học và Công nghệ tỉnh {province}." if province else "",
        blocks=B,
        recipients=["Sở Khoa học và Công nghệ", "Lãnh đạo cơ quan", "Lưu: VT"],
        signer_title="THỦ TRƯỞNG CƠ QUAN",
        signer_name=head.display_name if head else "",
    )

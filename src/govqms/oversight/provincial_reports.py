"""The provincial reports of the yearly assessment (Circular 26/2014/TT-BKHCN):

- in November, the DoST reports the year's assessment and inspection results to the
  provincial People's Committee;
- in December, the province reports to the Ministry of Science and Technology
  (Appendix II of the Circular, in spirit);
- the XLSX of every agency's scores and band for the Department of Home Affairs'
  PAR index.

`year_data` gathers the figures through the assessments and inspections selectors
(filtered to the user); `official` lays them out as an official document
(report_layout) in Vietnamese; `par_xlsx` writes the spreadsheet. The figures are
written as assessments.figures writes them: "xuất sắc 52/166 (31,3 %)"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone, translation

from govqms.assessments import figures as F
from govqms.assessments import selectors as assessments
from govqms.assessments.models import Assessment, Band, Campaign
from govqms.organizations.models import Unit, UnitKind

from . import dashboard_obligations as ob
from . import report_layout as L
from .dashboard import signed_count
from .models import IssuedReport

# The band names as the reports write them (lower case inside a sentence).
BAND_VI = {
    Band.EXCELLENT: "xuất sắc",
    Band.GOOD: "tốt",
    Band.FAIR: "khá",
    Band.AVERAGE: "trung bình",
    Band.WEAK: "yếu",
}
LOW_BANDS = (Band.AVERAGE, Band.WEAK)


def band_vi(band: str) -> str:
    return BAND_VI.get(band, "")


def kind_vi(kind: str) -> str:
    with translation.override("vi"):
        return str(UnitKind(kind).label) if kind in UnitKind.values else kind


def points(value: Decimal | None) -> str:
    """85.5 -> "85,5"; 90 -> "90"; None -> ""."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return F.decimal_comma(value, 2).rstrip("0").rstrip(",")


# ---------------------------------------------------------------- the year's figures


@dataclass
class ResultRow:
    assessment: Assessment
    unit: Unit
    final: bool

    @property
    def band(self) -> str:
        return self.assessment.band if self.final else ""

    @property
    def total(self) -> str:
        return points(self.assessment.final_total) if self.final else ""


@dataclass
class Inspections:
    plan: object
    total: int = 0
    by_records: int = 0
    on_site: int = 0
    inspected_on_site: int = 0
    findings: int = 0
    nonconformities: int = 0
    observations: int = 0
    reports_due: int = 0
    reports_received: int = 0
    reports_overdue: int = 0


@dataclass
class Obligations:
    agencies: int = 0
    no_audit: list = field(default_factory=list)
    no_review: list = field(default_factory=list)
    legal_overdue: list = field(default_factory=list)
    not_submitted: list = field(default_factory=list)


@dataclass
class YearData:
    year: int
    campaign: Campaign | None
    previous: Campaign | None
    rows: list
    figures: list
    inspections: Inspections | None
    obligations: Obligations

    @property
    def whole(self) -> int:
        return len(self.rows)

    @property
    def final_count(self) -> int:
        return sum(1 for r in self.rows if r.final)

    @property
    def band_line(self) -> str:
        return F.band_line(self.figures)

    @property
    def change_items(self) -> list[str]:
        if self.previous is None:
            return []
        return [change_text(f) for f in self.figures if f.count or f.previous_count]

    @property
    def change_line(self) -> str:
        if not self.change_items:
            return ""
        return f"So với năm {self.previous.year}: " + "; ".join(self.change_items) + "."

    @property
    def band_rows(self) -> list[dict]:
        """The figures written for a page: counts, shares and changes as printed."""
        return [
            {
                "band": f.band,
                "label": f.label.capitalize(),
                "count": f.count,
                "share": F.percent(f.share),
                "previous_count": f.previous_count,
                "previous_share": F.percent(f.previous_share),
                "change": ""
                if f.change_points is None
                else f"{F.signed(f.change_points)} ({signed_count(f.change_count)})",
            }
            for f in self.figures
        ]

    @property
    def low(self) -> list[ResultRow]:
        return [r for r in self.rows if r.band in LOW_BANDS]

    def by_kind(self) -> list[list]:
        """[kind label, count per band..., not rated, total] per kind of agency, and a
        total row."""
        counts: dict[str, Counter] = {}
        for r in self.rows:
            counts.setdefault(r.unit.kind, Counter())[r.band or "-"] += 1
        order = [k for k in UnitKind.values if k in counts]
        out = []
        for kind in order:
            c = counts[kind]
            out.append([kind_vi(kind)] + [c[b.value] for b in Band] + [c["-"], sum(c.values())])
        total = Counter()
        for c in counts.values():
            total.update(c)
        out.append(["Tổng cộng"] + [total[b.value] for b in Band] + [total["-"], self.whole])
        return out


def change_text(f: F.BandFigure) -> str:
    """ "xuất sắc tăng 11,0 điểm phần trăm (từ 20,3 % lên 31,3 %; +18 cơ quan)"."""
    label = f.label.lower()
    pp, n = f.change_points, f.change_count
    count = signed_count(n)
    if pp is None:
        return f"{label}: {count} cơ quan"
    if pp > 0:
        verb = f"tăng {F.decimal_comma(pp)} điểm phần trăm"
    elif pp < 0:
        verb = f"giảm {F.decimal_comma(-pp)} điểm phần trăm"
    else:
        verb = "không đổi về tỷ lệ"
    shares = f"từ {F.percent(f.previous_share)} lên {F.percent(f.share)}"
    if pp < 0:
        shares = f"từ {F.percent(f.previous_share)} xuống {F.percent(f.share)}"
    elif pp == 0:
        shares = F.percent(f.share)
    return f"{label} {verb} ({shares}; {count} cơ quan)"


def _rows(user, campaign: Campaign | None) -> list[ResultRow]:
    if campaign is None:
        return []
    qs = (
        assessments.campaign_assessments(user, campaign)
        .select_related("unit__parent")
        .order_by("rank", "unit__name", "pk")
    )
    rows = [ResultRow(a, a.unit, a.status == Assessment.Status.FINAL) for a in qs]
    # Ranked first (by rank), then the others by name.
    rows.sort(key=lambda r: (r.assessment.rank is None, r.assessment.rank or 0, r.unit.name))
    return rows


def _figures(rows: list[ResultRow], previous_rows: list[ResultRow] | None) -> list:
    figures = F.band_figures(
        [r.band for r in rows],
        None if previous_rows is None else [r.band for r in previous_rows],
    )
    return [dataclasses.replace(f, label=band_vi(f.band)) for f in figures]


def _inspections(user, owner: Unit | None, year: int, today: dt.date) -> Inspections | None:
    from govqms.inspections import selectors as insp
    from govqms.inspections.models import Inspection, InspectionFinding

    if owner is None:
        plan = insp.plan_for_year(user, year)
    else:
        plan = insp.visible_plans(user).filter(owner=owner, year=year).first()
    if plan is None:
        return None
    qs = insp.year_inspections(user, year).filter(plan=plan)
    done = [Inspection.Status.DONE, Inspection.Status.CLOSED]
    c = qs.aggregate(
        total=Count("pk"),
        by_records=Count("pk", filter=Q(mode=Inspection.Mode.RECORDS)),
        on_site=Count("pk", filter=Q(mode=Inspection.Mode.ON_SITE)),
        inspected=Count("pk", filter=Q(mode=Inspection.Mode.ON_SITE, status__in=done)),
        due=Count("pk", filter=Q(corrective_report_due__isnull=False)),
        received=Count("pk", filter=Q(corrective_report_at__isnull=False)),
        overdue=Count(
            "pk",
            filter=Q(corrective_report_due__lt=today, corrective_report_at__isnull=True),
        ),
    )
    grades = Counter(
        InspectionFinding.objects.filter(inspection__in=qs.values("pk")).values_list(
            "grade", flat=True
        )
    )
    return Inspections(
        plan=plan,
        total=c["total"],
        by_records=c["by_records"],
        on_site=c["on_site"],
        inspected_on_site=c["inspected"],
        findings=sum(grades.values()),
        nonconformities=grades[InspectionFinding.Grade.NONCONFORMITY],
        observations=grades[InspectionFinding.Grade.OBSERVATION],
        reports_due=c["due"],
        reports_received=c["received"],
        reports_overdue=c["overdue"],
    )


def _obligations(
    rows: list[ResultRow], campaign: Campaign | None, year: int, today: dt.date
) -> Obligations:
    """The participants behind on each obligation of the year, counted as the
    dashboard counts them (oversight.dashboard_obligations, one query each)."""
    units = {r.unit.pk: r.unit for r in rows}
    ids = list(units)
    out = Obligations(agencies=len(ids))
    if not ids:
        return out
    audited = ob.audited(ids, year)
    reviewed = ob.reviewed(ids, year)
    late_legal = ob.legal_overdue(ids, year, today)
    by_name = sorted(units.values(), key=lambda u: u.name)
    out.no_audit = [u for u in by_name if u.pk not in audited]
    out.no_review = [u for u in by_name if u.pk not in reviewed]
    out.legal_overdue = [u for u in by_name if u.pk in late_legal]
    out.not_submitted = sorted(
        (r.unit for r in rows if ob.self_assessment_missing(r.assessment, campaign, today)),
        key=lambda u: u.name,
    )
    return out


def _campaign(user, owner: Unit | None, year: int) -> Campaign | None:
    if owner is None:
        return assessments.campaign_for_year(user, year)
    return assessments.visible_campaigns(user).filter(owner=owner, year=year).first()


def year_data(
    user, year: int, *, owner: Unit | None = None, today: dt.date | None = None
) -> YearData:
    """Everything the provincial reports print for `year`, as `user` may see it (the
    campaign and plan of `owner`, or the user's first)."""
    today = today or timezone.localdate()
    campaign = _campaign(user, owner, year)
    previous = _campaign(user, owner, year - 1)
    rows = _rows(user, campaign)
    previous_rows = _rows(user, previous) if previous is not None else None
    return YearData(
        year=year,
        campaign=campaign,
        previous=previous,
        rows=rows,
        figures=_figures(rows, previous_rows),
        inspections=_inspections(user, owner, year, today),
        obligations=_obligations(rows, campaign, year, today),
    )


def summary(data: YearData) -> dict:
    """The figures as printed, kept with an issued report."""
    return {
        "year": data.year,
        "campaign": data.campaign.pk if data.campaign else None,
        "agencies": data.whole,
        "final": data.final_count,
        "band_line": data.band_line,
        "change_line": data.change_line,
        "bands": [
            {
                "band": f.band,
                "count": f.count,
                "share": None if f.share is None else str(f.share),
                "previous_count": f.previous_count,
                "previous_share": None if f.previous_share is None else str(f.previous_share),
                "change_points": None if f.change_points is None else str(f.change_points),
                "change_count": f.change_count,
            }
            for f in data.figures
        ],
        "low": [
            {
                "code": r.unit.code,
                "name": r.unit.name,
                "band": r.band,
                "final_total": None
                if r.assessment.final_total is None
                else str(r.assessment.final_total),
            }
            for r in data.low
        ],
    }


# ---------------------------------------------------------------- the official document

ISSUERS = {
    IssuedReport.Kind.NOVEMBER: "Sở Khoa học và Công nghệ",
}
SYMBOLS = {
    IssuedReport.Kind.NOVEMBER: "BC-SKHCN",
    IssuedReport.Kind.DECEMBER: "BC-UBND",
}
TITLES = {
    IssuedReport.Kind.NOVEMBER: (
        "Kết quả đánh giá, kiểm tra việc duy trì, áp dụng hệ thống quản lý chất lượng "
        "theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 năm {year}"
    ),
    IssuedReport.Kind.DECEMBER: (
        "Tình hình xây dựng, áp dụng, duy trì và cải tiến hệ thống quản lý chất lượng "
        "theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 tại các cơ quan hành chính "
        "nhà nước trên địa bàn tỉnh năm {year}"
    ),
}
SIGNERS = {
    IssuedReport.Kind.NOVEMBER: "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
    IssuedReport.Kind.DECEMBER: "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
}


def _dost_unit(owner: Unit) -> Unit | None:
    return (
        Unit.objects.active_on()
        .filter(path__startswith=owner.path, kind=UnitKind.DOST)
        .order_by("path")
        .first()
    )


def defaults(owner: Unit, kind: str, year: int, today: dt.date | None = None) -> dict:
    """What the issue form proposes for a report of `kind` and `year`."""
    today = today or timezone.localdate()
    province = owner.province or owner.name
    if kind == IssuedReport.Kind.NOVEMBER:
        dost = _dost_unit(owner)
        authority, issuer = owner.name, dost.name if dost else ISSUERS[kind]
        addressee, day = owner.name, dt.date(year, 11, 25)
        recipients = [f"{owner.name} (b/c)", "Bộ Khoa học và Công nghệ (b/c)", "Sở Nội vụ"]
        recipients += ["Lãnh đạo Sở", "Lưu: VT, TĐC"]
    else:
        authority, issuer = "", owner.name
        addressee, day = "Bộ Khoa học và Công nghệ", dt.date(year, 12, 15)
        recipients = ["Bộ Khoa học và Công nghệ", "Tổng cục Tiêu chuẩn Đo lường Chất lượng"]
        recipients += ["Chủ tịch, các PCT UBND tỉnh", "Sở Khoa học và Công nghệ", "Lưu: VT"]
    return {
        "kind": kind,
        "year": year,
        "number": f"…/{SYMBOLS[kind]}",
        # The current year's report is dated the day it is issued.
        "issued_on": today if year == today.year else day,
        "place": province,
        "authority": authority,
        "issuer": issuer,
        "addressee": addressee,
        "signer_name": "",
        "signer_title": SIGNERS[kind],
        "recipients": "\n".join(recipients),
        "remarks": "",
    }


def _n(value: int, whole: int) -> str:
    """ "52/166 (31,3 %)"."""
    return f"{value}/{whole} ({F.percent(F.share(value, whole))})"


def _body(data: YearData, kind: str, owner: Unit, remarks: str) -> list:
    year, B = data.year, []
    province = owner.province or owner.name
    B.append(L.h1("I. TÌNH HÌNH CHUNG"))
    if data.campaign is None:
        B.append(
            L.para(
                f"Năm {year}, chưa có đợt đánh giá việc duy trì, áp dụng hệ thống quản lý "
                "chất lượng nào được ghi nhận trong hệ thống."
            )
        )
    else:
        kinds = [row for row in data.by_kind()[:-1]]
        parts = ", ".join(f"{row[0].lower()}: {row[-1]}" for row in kinds)
        B.append(
            L.para(
                f"Thực hiện Quyết định số 19/2014/QĐ-TTg của Thủ tướng Chính phủ và Thông tư "
                f"số 26/2014/TT-BKHCN của Bộ Khoa học và Công nghệ, năm {year} trên địa bàn "
                f"tỉnh {province} có {data.whole} cơ quan, đơn vị thuộc phạm vi đánh giá việc "
                f"duy trì, áp dụng hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 "
                f"({parts})."
            )
        )
        B.append(
            L.para(
                f"Các cơ quan tự đánh giá theo bộ tiêu chí năm {year} "
                f"({data.campaign.criteria_set.title}); Sở Khoa học và Công nghệ thẩm định "
                f"và xếp loại. Đã có kết quả cuối cùng của {data.final_count}/{data.whole} "
                "cơ quan."
            )
        )

    B.append(L.h1("II. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI"))
    if data.campaign is not None:
        B.append(L.h2("1. Kết quả xếp loại"))
        B.append(L.para(f"Kết quả xếp loại năm {year}: {data.band_line or 'chưa có'}."))
        if data.change_line:
            B.append(L.para(data.change_line))
        elif data.previous is None:
            B.append(L.para(f"Năm {year - 1} chưa có kết quả để so sánh."))
        prev = data.previous.year if data.previous else year - 1
        B.append(
            L.table(
                (3.0, 2.3, 2.3, 2.3, 2.3, 3.8),
                [
                    "Xếp loại",
                    f"Năm {year}",
                    "Tỷ lệ",
                    f"Năm {prev}",
                    "Tỷ lệ",
                    "Thay đổi",
                ],
                [
                    [
                        f.label.capitalize(),
                        f.count,
                        F.percent(f.share),
                        "" if f.previous_count is None else f.previous_count,
                        "" if f.previous_share is None else F.percent(f.previous_share),
                        ""
                        if f.change_points is None
                        else f"{F.signed(f.change_points)} điểm % ({signed_count(f.change_count)})",
                    ]
                    for f in data.figures
                ],
                "lccccc",
            )
        )
        B.append(L.h2("2. Kết quả theo loại hình cơ quan"))
        B.append(
            L.table(
                (4.6, 1.7, 1.5, 1.5, 1.9, 1.5, 1.8, 1.5),
                ["Loại hình cơ quan", "Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
                + ["Chưa có kết quả", "Tổng"],
                data.by_kind(),
                "lccccccc",
                size=10.5,
            )
        )
        B.append(L.h2("3. Các cơ quan xếp loại trung bình, yếu"))
        if data.low:
            B.append(
                L.table(
                    (1.1, 8.6, 2.2, 2.6, 1.5),
                    ["TT", "Cơ quan, đơn vị", "Điểm", "Xếp loại", "Hạng"],
                    [
                        [
                            i,
                            r.unit.name,
                            points(r.assessment.final_total),
                            band_vi(r.band).capitalize(),
                            r.assessment.rank or "",
                        ]
                        for i, r in enumerate(data.low, start=1)
                    ],
                    "clccc",
                )
            )
        else:
            B.append(L.para("Không có cơ quan xếp loại trung bình hoặc yếu."))
    else:
        B.append(L.para("Chưa có kết quả đánh giá, xếp loại."))

    B.append(L.h1("III. KẾT QUẢ KIỂM TRA"))
    insp = data.inspections
    if insp is None:
        B.append(
            L.para(
                f"Năm {year}, chưa có kế hoạch kiểm tra việc áp dụng, duy trì hệ thống quản lý "
                "chất lượng nào được ghi nhận trong hệ thống."
            )
        )
    else:
        plan = insp.plan
        number = f" số {plan.number}" if plan.number else ""
        B.append(
            L.para(
                f"Theo Kế hoạch kiểm tra{number} năm {year}, Sở Khoa học và Công nghệ kiểm tra "
                f"{insp.total} cơ quan, trong đó {insp.by_records} cơ quan kiểm tra qua hồ sơ, "
                f"báo cáo và {insp.on_site} cơ quan kiểm tra trực tiếp tại cơ quan "
                f"({F.percent(F.share(insp.on_site, insp.total))}); đã kiểm tra trực tiếp "
                f"{insp.inspected_on_site}/{insp.on_site} cơ quan."
            )
        )
        B.append(
            L.para(
                f"Qua kiểm tra đã ghi nhận {insp.findings} phát hiện, trong đó "
                f"{insp.nonconformities} điểm không phù hợp và {insp.observations} khuyến nghị. "
                f"Đã nhận {insp.reports_received}/{insp.reports_due} báo cáo kết quả khắc phục "
                f"đến hạn; {insp.reports_overdue} cơ quan chậm gửi báo cáo khắc phục."
            )
        )

    B.append(L.h1("IV. VIỆC THỰC HIỆN CÁC YÊU CẦU DUY TRÌ"))
    ob = data.obligations
    if ob.agencies:
        B.append(
            L.bullets(
                [
                    f"Chưa thực hiện đánh giá nội bộ trong năm: {_n(len(ob.no_audit), ob.agencies)}"
                    " cơ quan;",
                    "Chưa tổ chức họp xem xét của lãnh đạo trong năm: "
                    f"{_n(len(ob.no_review), ob.agencies)} cơ quan;",
                    "Chậm cập nhật văn bản pháp luật mới (quá 3 tháng): "
                    f"{_n(len(ob.legal_overdue), ob.agencies)} cơ quan;",
                    f"Không gửi hồ sơ tự đánh giá: {_n(len(ob.not_submitted), ob.agencies)}"
                    " cơ quan.",
                ]
            )
        )
    else:
        B.append(L.para("Không có số liệu."))

    B.append(L.h1("V. ĐÁNH GIÁ CHUNG VÀ KIẾN NGHỊ"))
    for line in (remarks or "").splitlines():
        if line.strip():
            B.append(L.para(line.strip()))
    if not (remarks or "").strip():
        B.append(
            L.para(
                "Phần lớn các cơ quan đã duy trì, áp dụng hệ thống quản lý chất lượng. Tuy "
                "nhiên, tại một số cơ quan việc duy trì chưa thường xuyên; hoạt động đánh giá "
                "nội bộ, xem xét các quy trình còn hình thức; lãnh đạo chưa quan tâm chỉ đạo "
                "sát sao. Đề nghị các cơ quan xếp loại trung bình, yếu khắc phục trong năm tới."
            )
        )
    if kind == IssuedReport.Kind.NOVEMBER:
        B.append(
            L.para("Sở Khoa học và Công nghệ kính báo cáo Ủy ban nhân dân tỉnh xem xét, chỉ đạo./.")
        )
    else:
        B.append(
            L.para(f"Ủy ban nhân dân tỉnh {province} kính báo cáo Bộ Khoa học và Công nghệ./.")
        )
    return B


def _annex(data: YearData) -> list:
    return [
        L.table(
            (1.0, 6.4, 1.9, 1.9, 1.9, 1.9, 1.5),
            ["TT", "Cơ quan, đơn vị", "Tự đánh giá", "Thẩm định", "Điểm cuối", "Xếp loại"]
            + ["Hạng"],
            [
                [
                    i,
                    r.unit.name,
                    points(r.assessment.self_total),
                    points(r.assessment.appraised_total),
                    points(r.assessment.final_total) if r.final else "",
                    band_vi(r.band).capitalize(),
                    (r.assessment.rank or "") if r.final else "",
                ]
                for i, r in enumerate(data.rows, start=1)
            ],
            "clccccc",
            size=10,
        )
    ]


def official(data: YearData, owner: Unit, meta: dict, *, draft: bool = False) -> L.Official:
    """The report of `meta["kind"]` for `data`, with the header and signer of `meta`
    (an IssuedReport's fields, or `defaults`)."""
    kind = meta["kind"]
    return L.Official(
        authority=meta.get("authority", ""),
        issuer=meta["issuer"],
        number=meta["number"],
        place_date=L.place_date(meta["place"], meta["issued_on"]),
        title="BÁO CÁO",
        subtitle=TITLES[kind].format(year=data.year),
        addressee=f"Kính gửi: {meta['addressee']}." if meta.get("addressee") else "",
        blocks=_body(data, kind, owner, meta.get("remarks", "")),
        recipients=[
            line.strip() for line in meta.get("recipients", "").splitlines() if line.strip()
        ],
        signer_title=meta.get("signer_title", ""),
        signer_name=meta.get("signer_name", ""),
        mark=L.DRAFT if draft else "",
        annex_title="Phụ lục",
        annex_subtitle=(
            f"Kết quả đánh giá việc duy trì, áp dụng hệ thống quản lý chất lượng năm {data.year}"
            " của từng cơ quan"
        )
        if data.rows
        else "",
        annex=_annex(data) if data.rows else [],
    )


def meta_of(report: IssuedReport) -> dict:
    """The header and signature of an issued report, as `official` takes them."""
    return {name: getattr(report, name) for name in ("kind", *IssuedReport.HEADER_FIELDS)}


# ---------------------------------------------------------------- PAR index XLSX

PAR_HEADER = [
    "TT",
    "Mã cơ quan",
    "Tên cơ quan, đơn vị",
    "Loại hình",
    "Cơ quan cấp trên",
    "Điểm tự đánh giá",
    "Điểm thẩm định",
    "Điểm cuối cùng",
    "Xếp loại",
    "Thứ hạng",
]


def par_rows(data: YearData) -> list[list]:
    def num(value):
        return None if value is None else float(value)

    return [
        [
            i,
            r.unit.code,
            r.unit.name,
            kind_vi(r.unit.kind),
            r.unit.parent.name if r.unit.parent_id else "",
            num(r.assessment.self_total),
            num(r.assessment.appraised_total),
            num(r.assessment.final_total) if r.final else None,
            band_vi(r.band).capitalize(),
            r.assessment.rank if r.final else None,
        ]
        for i, r in enumerate(data.rows, start=1)
    ]


def par_xlsx(data: YearData, owner_name: str = "") -> bytes:
    """Every agency of the year's campaign with its scores, band and rank, for the
    Department of Home Affairs' PAR index."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties(
        {"title": f"Kết quả đánh giá ISO năm {data.year}", "author": owner_name, "language": "vi"}
    )
    sheet = book.add_worksheet(f"ISO {data.year}")
    title = book.add_format({"bold": True, "font_size": 13, "font_name": "Times New Roman"})
    head = book.add_format(
        {
            "bold": True,
            "bg_color": "#E7E6E6",
            "border": 1,
            "text_wrap": True,
            "align": "center",
            "valign": "vcenter",
            "font_name": "Times New Roman",
        }
    )
    text = book.add_format({"border": 1, "font_name": "Times New Roman", "valign": "top"})
    wrap = book.add_format(
        {"border": 1, "font_name": "Times New Roman", "text_wrap": True, "valign": "top"}
    )
    score = book.add_format(
        {"border": 1, "font_name": "Times New Roman", "num_format": "0.00", "valign": "top"}
    )
    whole = book.add_format(
        {"border": 1, "font_name": "Times New Roman", "num_format": "0", "valign": "top"}
    )
    sheet.write(
        0,
        0,
        f"Kết quả đánh giá việc duy trì, áp dụng hệ thống quản lý chất lượng năm {data.year}",
        title,
    )
    sheet.write(1, 0, f"{owner_name} — {data.band_line}" if data.band_line else owner_name)
    header_row = 3
    sheet.write_row(header_row, 0, PAR_HEADER, head)
    sheet.set_row(header_row, 32)
    formats = [whole, text, wrap, wrap, wrap, score, score, score, text, whole]
    for i, row in enumerate(par_rows(data), start=header_row + 1):
        for j, value in enumerate(row):
            if value is None or value == "":
                sheet.write_blank(i, j, None, formats[j])
            else:
                sheet.write(i, j, value, formats[j])
    for col, width in enumerate((5, 12, 44, 26, 34, 11, 11, 11, 12, 9)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(header_row + 1, 3)
    if data.rows:
        sheet.autofilter(header_row, 0, header_row + len(data.rows), len(PAR_HEADER) - 1)
    book.close()
    return buffer.getvalue()

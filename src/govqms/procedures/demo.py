"""The demo's TTHC catalogue: ~40 administrative procedures of the commune and
provincial levels, assigned to the demo agencies (communes get the commune ones,
departments the provincial ones of their field), linked to the operational
procedures the demo agencies adopted from the model framework where the titles match
("Quy trình đăng ký khai sinh" covers "Đăng ký khai sinh").

Codes: 1.001193 (Đăng ký khai sinh) is the national database's code. The other codes
have the national format but are illustrative: check them against the national
database (dichvucong.gov.vn) before using this list for anything but a demo.

Most agencies have updated their ISO list after the announcements; every seventh
commune has not (overdue on the homes), and one TTHC was announced a few days ago
(a deadline still running)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from govqms.core.text import fold
from govqms.documents.models import Document, DocumentKind
from govqms.organizations.models import Unit, UnitKind

from . import services
from .models import AdministrativeProcedure, Assignment

CIVIL = "Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP"
CERT = "Nghị định số 23/2015/NĐ-CP; Thông tư số 01/2020/TT-BTP"
BTP_2020 = ("Quyết định số 1872/QĐ-BTP", dt.date(2020, 10, 15))
BTP_2021 = ("Quyết định số 1024/QĐ-BTP", dt.date(2021, 5, 10))
BCA_2021 = ("Quyết định số 5548/QĐ-BCA", dt.date(2021, 7, 1))
LOCAL_2025 = ("Quyết định số 1250/QĐ-UBND", dt.date(2025, 7, 1))

FREE = "Miễn lệ phí"

# code, name, field, level, days, fees, online, legal basis, (decision, date), department
COMMUNE = [
    ("1.001193", "Đăng ký khai sinh", "Hộ tịch", 1, FREE, "full", CIVIL, BTP_2020),
    ("1.000894", "Đăng ký kết hôn", "Hộ tịch", 1, FREE, "partial", CIVIL, BTP_2020),
    ("1.000656", "Đăng ký khai tử", "Hộ tịch", 1, FREE, "full", CIVIL, BTP_2020),
    ("1.001022", "Đăng ký nhận cha, mẹ, con", "Hộ tịch", 3, FREE, "partial", CIVIL, BTP_2020),
    (
        "1.004859",
        "Thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "Hộ tịch",
        3,
        "15.000 đồng",
        "partial",
        CIVIL,
        BTP_2020,
    ),
    (
        "1.004873",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "Hộ tịch",
        3,
        FREE,
        "full",
        CIVIL,
        BTP_2020,
    ),
    ("1.004837", "Đăng ký giám hộ", "Hộ tịch", 3, FREE, "partial", CIVIL, BTP_2020),
    (
        "1.003583",
        "Cấp bản sao trích lục hộ tịch",
        "Hộ tịch",
        1,
        "8.000 đồng/bản",
        "full",
        CIVIL,
        BTP_2020,
    ),
    ("1.004845", "Đăng ký chấm dứt giám hộ", "Hộ tịch", 2, FREE, "partial", CIVIL, BTP_2020),
    ("1.004746", "Đăng ký lại khai sinh", "Hộ tịch", 5, FREE, "partial", CIVIL, BTP_2020),
    ("1.004772", "Đăng ký lại kết hôn", "Hộ tịch", 5, FREE, "partial", CIVIL, BTP_2020),
    ("1.005461", "Đăng ký lại khai tử", "Hộ tịch", 5, FREE, "partial", CIVIL, BTP_2020),
    (
        "1.000689",
        "Đăng ký khai sinh kết hợp nhận cha, mẹ, con",
        "Hộ tịch",
        3,
        FREE,
        "partial",
        CIVIL,
        BTP_2020,
    ),
    (
        "2.000815",
        "Chứng thực bản sao từ bản chính",
        "Chứng thực",
        1,
        "2.000 đồng/trang",
        "partial",
        CERT,
        BTP_2021,
    ),
    ("2.000884", "Chứng thực chữ ký", "Chứng thực", 1, "10.000 đồng", "partial", CERT, BTP_2021),
    (
        "2.001035",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        "Chứng thực",
        2,
        "50.000 đồng/hợp đồng",
        "none",
        CERT,
        BTP_2021,
    ),
    ("2.001019", "Chứng thực di chúc", "Chứng thực", 2, "50.000 đồng", "none", CERT, BTP_2021),
    (
        "2.001016",
        "Chứng thực văn bản từ chối nhận di sản",
        "Chứng thực",
        2,
        "50.000 đồng",
        "none",
        CERT,
        BTP_2021,
    ),
    (
        "1.004194",
        "Đăng ký thường trú",
        "Đăng ký, quản lý cư trú",
        7,
        "20.000 đồng",
        "full",
        "Luật Cư trú số 68/2020/QH14",
        BCA_2021,
    ),
    (
        "1.004222",
        "Đăng ký tạm trú",
        "Đăng ký, quản lý cư trú",
        3,
        "15.000 đồng",
        "full",
        "Luật Cư trú số 68/2020/QH14",
        BCA_2021,
    ),
    (
        "2.000286",
        "Hòa giải tranh chấp đất đai",
        "Đất đai",
        30,
        FREE,
        "none",
        "Luật Đất đai số 31/2024/QH15",
        LOCAL_2025,
    ),
    (
        "1.001776",
        "Thực hiện trợ cấp xã hội hằng tháng",
        "Bảo trợ xã hội",
        10,
        FREE,
        "partial",
        "Nghị định số 20/2021/NĐ-CP",
        LOCAL_2025,
    ),
    (
        "1.003622",
        "Đăng ký hoạt động tín ngưỡng",
        "Tín ngưỡng, tôn giáo",
        15,
        FREE,
        "partial",
        "Luật Tín ngưỡng, tôn giáo số 02/2016/QH14",
        LOCAL_2025,
    ),
    (
        "2.001261",
        "Đăng ký hộ kinh doanh",
        "Thành lập và hoạt động của hộ kinh doanh",
        3,
        "100.000 đồng",
        "full",
        "Nghị định số 01/2021/NĐ-CP",
        LOCAL_2025,
    ),
    (
        "1.008004",
        "Xác nhận hợp đồng tiếp cận nguồn gen",
        "Đa dạng sinh học",
        5,
        FREE,
        "none",
        "Nghị định số 59/2017/NĐ-CP",
        LOCAL_2025,
    ),
]

# ... plus the department that carries each provincial TTHC (its name starts with it).
PROVINCIAL = [
    (
        "2.000488",
        "Cấp Phiếu lý lịch tư pháp",
        "Lý lịch tư pháp",
        10,
        "200.000 đồng",
        "full",
        "Luật Lý lịch tư pháp số 28/2009/QH12",
        BTP_2021,
        "Sở Tư pháp",
    ),
    (
        "1.001071",
        "Cấp chứng chỉ hành nghề luật sư",
        "Luật sư",
        10,
        "800.000 đồng",
        "partial",
        "Luật Luật sư số 65/2006/QH11",
        BTP_2021,
        "Sở Tư pháp",
    ),
    (
        "1.002425",
        "Cấp giấy phép xây dựng mới đối với công trình cấp I, II",
        "Xây dựng",
        20,
        "150.000 đồng",
        "partial",
        "Luật Xây dựng số 50/2014/QH13",
        LOCAL_2025,
        "Sở Xây dựng",
    ),
    (
        "1.009974",
        "Cấp chứng chỉ hành nghề hoạt động xây dựng",
        "Xây dựng",
        20,
        "300.000 đồng",
        "full",
        "Nghị định số 15/2021/NĐ-CP",
        LOCAL_2025,
        "Sở Xây dựng",
    ),
    (
        "2.000637",
        "Cấp lại giấy phép lái xe",
        "Đường bộ",
        5,
        "135.000 đồng",
        "full",
        "Luật Trật tự, an toàn giao thông đường bộ số 36/2024/QH15",
        LOCAL_2025,
        "Sở Giao thông vận tải",
    ),
    (
        "1.004988",
        "Cấp Giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
        "Hoạt động khoa học và công nghệ",
        15,
        FREE,
        "partial",
        "Luật Khoa học và Công nghệ số 29/2013/QH13",
        LOCAL_2025,
        "Sở Khoa học và Công nghệ",
    ),
    (
        "2.001268",
        "Đăng ký thành lập doanh nghiệp tư nhân",
        "Thành lập và hoạt động doanh nghiệp",
        3,
        "50.000 đồng",
        "full",
        "Luật Doanh nghiệp số 59/2020/QH14",
        LOCAL_2025,
        "Sở Kế hoạch và Đầu tư",
    ),
    (
        "1.004346",
        "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        "An toàn thực phẩm",
        20,
        "700.000 đồng",
        "partial",
        "Luật An toàn thực phẩm số 55/2010/QH12",
        LOCAL_2025,
        "Sở Y tế",
    ),
    (
        "1.010727",
        "Cấp giấy phép môi trường",
        "Môi trường",
        30,
        "Theo quy định của HĐND tỉnh",
        "partial",
        "Luật Bảo vệ môi trường số 72/2020/QH14",
        LOCAL_2025,
        "Sở Tài nguyên và Môi trường",
    ),
    (
        "1.001612",
        "Cấp giấy phép hoạt động cơ sở khám bệnh, chữa bệnh",
        "Khám bệnh, chữa bệnh",
        30,
        "4.300.000 đồng",
        "partial",
        "Luật Khám bệnh, chữa bệnh số 15/2023/QH15",
        LOCAL_2025,
        "Sở Y tế",
    ),
    (
        "2.000190",
        "Cấp giấy phép kinh doanh karaoke",
        "Văn hóa",
        5,
        "4.000.000 đồng",
        "full",
        "Nghị định số 54/2019/NĐ-CP",
        LOCAL_2025,
        "Sở Văn hóa, Thể thao và Du lịch",
    ),
    (
        "1.000105",
        "Cấp giấy phép lao động cho người nước ngoài",
        "Việc làm",
        5,
        "400.000 đồng",
        "full",
        "Bộ luật Lao động số 45/2019/QH14",
        LOCAL_2025,
        "Sở Lao động - Thương binh và Xã hội",
    ),
    (
        "2.001824",
        "Cấp giấy phép kinh doanh bán lẻ sản phẩm rượu",
        "Lưu thông hàng hóa",
        10,
        "1.200.000 đồng",
        "partial",
        "Nghị định số 105/2017/NĐ-CP",
        LOCAL_2025,
        "Sở Công Thương",
    ),
    (
        "1.003605",
        "Cấp giấy phép sử dụng tần số vô tuyến điện",
        "Tần số vô tuyến điện",
        10,
        "Theo biểu phí",
        "full",
        "Luật Tần số vô tuyến điện số 42/2009/QH12",
        LOCAL_2025,
        "Sở Thông tin và Truyền thông",
    ),
    (
        "1.005099",
        "Công nhận trường tiểu học đạt chuẩn quốc gia",
        "Giáo dục và Đào tạo",
        20,
        FREE,
        "partial",
        "Luật Giáo dục số 43/2019/QH14",
        LOCAL_2025,
        "Sở Giáo dục và Đào tạo",
    ),
]

ASSIGNED_ON = dt.date(2026, 1, 2)
RECENT_CODE = "1.004873"  # re-announced a few days ago: deadline still running
BEHIND_EVERY = 7


def _fields(row, level):
    code, name, field, days, fees, online, basis, (decision, day) = row[:8]
    return {
        "code": code,
        "name": name,
        "field": field,
        "level": level,
        "time_limit_days": days,
        "fees": fees,
        "online_level": online,
        "legal_basis": basis,
        "announced_by": decision,
        "announced_on": day,
    }


def _catalogue() -> dict[str, AdministrativeProcedure]:
    wanted = [_fields(r, "commune") for r in COMMUNE] + [
        _fields(r, "provincial") for r in PROVINCIAL
    ]
    existing = {
        p.code: p
        for p in AdministrativeProcedure.objects.filter(code__in=[w["code"] for w in wanted])
    }
    for values in wanted:
        if values["code"] not in existing:
            existing[values["code"]] = services.create_procedure(None, source="demo", **values)
    return existing


def _covering(unit: Unit) -> dict[str, Document]:
    """The agency's operational procedures by folded TTHC name."""
    prefix = fold("Quy trình") + " "
    documents = Document.objects.filter(
        unit=unit,
        kind__in=[DocumentKind.OPERATIONAL_PROCEDURE, DocumentKind.INTERNAL_PROCESS],
    )
    by_name = {}
    for document in documents:
        title = fold(document.title)
        if title.startswith(prefix):
            by_name[title[len(prefix) :]] = document
    return by_name


def load_demo_procedures(units=None, *, today: dt.date | None = None) -> dict:
    """Create the catalogue and assign it to the demo agencies (idempotent). `units`:
    the agencies (default: every active agency in the DoST's remit)."""
    today = today or timezone.localdate()
    counts = {"procedures": 0, "assignments": 0, "linked": 0, "behind": 0}
    with transaction.atomic():
        catalogue = _catalogue()
        counts["procedures"] = len(catalogue)
        if units is None:
            units = Unit.objects.active_on().filter(in_dost_remit=True).order_by("path")
        units = list(units)
        communes = [u for u in units if u.kind == UnitKind.COMMUNE_PC]
        departments = [u for u in units if u.kind == UnitKind.DEPARTMENT]
        for row in COMMUNE:
            counts["assignments"] += len(
                services.assign(None, catalogue[row[0]], communes, assigned_on=ASSIGNED_ON)
            )
        for row in PROVINCIAL:
            carriers = [u for u in departments if u.name.startswith(row[8])]
            counts["assignments"] += len(
                services.assign(None, catalogue[row[0]], carriers, assigned_on=ASSIGNED_ON)
            )
        for index, unit in enumerate(communes + departments):
            covering = _covering(unit)
            for assignment in Assignment.objects.filter(
                unit=unit, ended_on=None, document=None
            ).select_related("procedure"):
                document = covering.get(fold(assignment.procedure.name))
                if document is not None:
                    services.set_scope(None, assignment, in_scope=True, document=document)
                    counts["linked"] += 1
            if index % BEHIND_EVERY == 3:
                counts["behind"] += 1
                continue
            if catalogue[RECENT_CODE].announced_on != BTP_2020[1]:
                continue  # loaded before: the lists were brought up to date then
            pending = Assignment.objects.filter(
                unit=unit, ended_on=None, list_updated_on=None, list_update_due__isnull=False
            ).order_by("list_update_due")
            first = pending.first()
            if first is not None:
                services.mark_list_updated(None, unit, on=first.list_update_due)
        recent = catalogue[RECENT_CODE]
        announced = today - dt.timedelta(days=2)
        if recent.announced_on == BTP_2020[1]:
            services.update_procedure(
                None,
                recent,
                source="demo",
                announced_by="Quyết định số 2150/QĐ-BTP",
                announced_on=announced,
            )
    return counts

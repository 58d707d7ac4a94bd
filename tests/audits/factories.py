"""Builders for the internal audit tests."""

import datetime as dt
import io
import itertools

from django.utils import timezone

from govqms.audits import services
from govqms.organizations.models import Role
from tests.factories import START, make_user
from tests.procedures.factories import covered_assignment, make_tthc

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def register(unit, user, *, expiry=dt.date(2030, 12, 31), in_pool=False, issued=START, **extra):
    return services.register_auditor(
        None,
        unit,
        user=user,
        certificate_name="Chứng chỉ đánh giá viên nội bộ ISO 9001:2015",
        certificate_issuer="Trung tâm Năng suất Việt Nam",
        certificate_number=f"DGV-{user.pk:04d}",
        certificate_date=issued,
        certificate_expiry=expiry,
        in_pool=in_pool,
        **extra,
    )


def second_auditor(w):
    """Another trained auditor of agency A (besides a_internal_auditor)."""
    user = make_user("a_auditor2", "Đỗ Thị Giám", w.a, Role.STAFF, division="Văn phòng")
    register(w.a, user)
    return user


_SEQ = itertools.count(1)


def procedure(w, unit=None, code=None):
    """An effective operational procedure of the agency covering one TTHC."""
    unit = unit or w.a
    n = next(_SEQ)
    code = code or f"QT-TP-{n:02d}"
    tthc = make_tthc(code=f"1.{900000 + n}", name="Đăng ký khai sinh")
    assignment = covered_assignment(unit, tthc=tthc, code=code)
    return assignment.document, tthc


def make_plan(
    w, *, unit=None, lead=None, team=(), processes=None, day=dt.date(2026, 3, 10), **extra
):
    unit = unit or w.a
    lead = lead or w.users["a_internal_auditor"]
    if processes is None:
        processes = [procedure(w, unit)[0]]
    data = {
        "title": "Đánh giá nội bộ đợt 1 năm 2026",
        "planned_start": moment(day, 8),
        "planned_end": moment(day, 17),
        "lead": lead,
        "team": list(team),
        "processes": processes,
        "clauses": ["7.5.3", "8.5.1"],
        "divisions": ["Tư pháp - Hộ tịch"],
        "objectives": "Xác định mức độ phù hợp của HTQLCL.",
        "criteria": "TCVN ISO 9001:2015; các quy trình của cơ quan.",
    }
    data.update(extra)
    return services.create_plan(None, unit, **data)


def audit_world(w):
    """World A with a registered internal auditor (a_internal_auditor)."""
    register(w.a, w.users["a_internal_auditor"])
    return w


def upload(content=PNG, name="bang-chung.png"):
    f = io.BytesIO(content)
    f.name = name
    return f

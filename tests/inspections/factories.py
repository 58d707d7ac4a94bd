"""Builders for the inspections tests."""

import datetime as dt

from govqms.inspections import services
from govqms.inspections.models import Inspection

YEAR = 2026
TODAY = dt.date(2026, 3, 2)


def make_plan(w, owner=None, admin=None, year=YEAR, today=TODAY):
    owner = owner or w.p
    admin = admin or w.dost_admin
    return services.create_plan(admin, owner=owner, year=year, today=today)


def inspection_of(plan, unit) -> Inspection:
    return Inspection.objects.get(plan=plan, unit=unit)


def on_site(w, plan, unit, admin=None):
    """`unit` on site in a draft plan."""
    return services.set_mode(admin or w.dost_admin, inspection_of(plan, unit), "on_site")


def inspected(w, unit=None, *, officer=None, finding=True, inspected_on=dt.date(2026, 4, 15)):
    """An approved plan where `unit` (default w.b) was inspected on site with one
    nonconformity finding."""
    unit = unit or w.b
    officer = officer or w.dost_officer
    plan = make_plan(w)
    on_site(w, plan, unit)
    services.approve_plan(w.dost_admin, plan, today=TODAY)
    inspection = inspection_of(plan, unit)
    services.issue_decision(
        officer,
        inspection,
        number="25/QĐ-SKHCN",
        date=dt.date(2026, 4, 1),
        lead=officer,
        team="Hoàng Thu Hà, thành viên\nNguyễn Văn An, thành viên",
        scheduled_on=inspected_on,
        today=dt.date(2026, 4, 1),
    )
    services.record_minutes(
        officer,
        inspection,
        inspected_on=inspected_on,
        representatives="Trần Thị Bình, thư ký ISO",
        summary="Hệ thống được duy trì.",
        conclusion="Cơ bản phù hợp; khắc phục một điểm không phù hợp.",
        today=inspected_on,
    )
    if finding:
        services.add_finding(
            officer,
            inspection,
            clause="9.2",
            text="Chưa đánh giá nội bộ năm 2025",
            grade="nonconformity",
            today=inspected_on,
        )
    inspection.refresh_from_db()
    return inspection

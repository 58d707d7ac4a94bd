"""Builders for the oversight tests: records of the other apps made directly (the
signals and the lifecycle read them; how they are made is those apps' business)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from govqms.oversight import services
from tests.procedures.factories import covered_assignment, make_tthc

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(day: dt.date, hour: int = 8, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def announce(unit, user, *, on=dt.date(2024, 3, 1), number="01/QĐ-UBND", **extra):
    return services.record_announcement(
        user, unit, decision_number=number, decision_date=on, scope="Toàn bộ TTHC", **extra
    )


def assign_tthc(unit, code="1.001193", on=dt.date(2020, 10, 1), doc_code=None):
    from govqms.procedures import services as procs

    tthc = make_tthc(code=code, name=f"Thủ tục {code}")
    if doc_code:
        assignment = covered_assignment(unit, tthc=tthc, code=doc_code)
        if on != assignment.assigned_on:
            assignment.assigned_on = on
            assignment.save(update_fields=["assigned_on"])
        return assignment
    (assignment,) = procs.assign(None, tthc, [unit], assigned_on=on)
    return assignment


def audit_plan(
    unit,
    lead,
    *,
    year,
    title="Đánh giá nội bộ",
    done=True,
    findings=0,
    questions=("Kiểm soát tài liệu?", "Hồ sơ được lưu?"),
    minutes=480,
    divisions=(),
    clauses=("7.5", "8.5.1"),
):
    from govqms.audits.models import AuditPlan, ChecklistItem, Finding, PlanStatus

    start = at(dt.date(year, 6, 10))
    plan = AuditPlan.objects.create(
        unit=unit,
        year=year,
        title=f"{title} {year}",
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=minutes),
        actual_start=start if done else None,
        actual_end=start + dt.timedelta(minutes=minutes) if done else None,
        lead=lead,
        divisions=list(divisions),
        clauses=list(clauses),
        status=PlanStatus.COMPLETED if done else PlanStatus.PLANNED,
    )
    for i, q in enumerate(questions):
        ChecklistItem.objects.create(plan=plan, order=i, question=q, clause="7.5")
    for i in range(findings):
        Finding.objects.create(
            plan=plan, grade="minor", clause="8.5.1", description=f"Phát hiện {i}"
        )
    return plan


def review(unit, *, held_on, decisions=0, title="Xem xét của lãnh đạo"):
    from govqms.reviews.models import ManagementReview, ReviewDecision, ReviewStatus

    r = ManagementReview.objects.create(
        unit=unit,
        title=f"{title} {held_on.year}",
        planned_date=held_on,
        held_at=at(held_on, 9) if held_on else None,
        period_start=dt.date(held_on.year, 1, 1),
        period_end=held_on,
        status=ReviewStatus.HELD,
    )
    for i in range(decisions):
        ReviewDecision.objects.create(
            review=r, unit=unit, kind="improvement", text=f"Quyết định {i}"
        )
    return r


def nonconformity(unit, *, number="NC-01", due=None, closed=False, detected=dt.date(2026, 1, 10)):
    from govqms.improvement.models import Nonconformity, Status

    return Nonconformity.objects.create(
        unit=unit,
        year=detected.year,
        seq=Nonconformity.objects.filter(unit=unit).count() + 1,
        number=number,
        title="Hồ sơ trễ hạn",
        detected_on=detected,
        due_date=due,
        status=Status.CLOSED if closed else Status.OPEN,
    )


def corrective_action(nc, owner, *, created, done=None):
    from govqms.improvement.models import ActionStatus, CorrectiveAction

    return CorrectiveAction.objects.create(
        nonconformity=nc,
        text="Sửa quy trình",
        owner=owner,
        due_date=created + dt.timedelta(days=30),
        created_on=created,
        status=ActionStatus.DONE if done else ActionStatus.OPEN,
        done_on=done,
    )


def objective(unit, *, year, measured=False, schedule="quarterly", title="Tỷ lệ hồ sơ đúng hạn"):
    from govqms.planning.models import Measurement, Objective

    obj = Objective.objects.create(
        unit=unit,
        year=year,
        title=title,
        indicator="% hồ sơ đúng hạn",
        target=Decimal("95"),
        schedule=schedule,
    )
    if measured:
        Measurement.objects.create(
            objective=obj,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 3, 31),
            measured_on=dt.date(year, 4, 2),
            value=Decimal("97"),
            status="on_track",
            target=Decimal("95"),
        )
    return obj


def policy(unit, year):
    from govqms.documents.models import DocumentKind, VersionStatus
    from govqms.planning.models import PolicyLink
    from tests.documents.factories import make_procedure

    doc = make_procedure(unit, code=f"CS-{year}", title="Chính sách chất lượng")
    doc.kind = DocumentKind.QUALITY_POLICY
    doc.save(update_fields=["kind"])
    version = doc.versions.get()
    version.status = VersionStatus.EFFECTIVE
    version.save(update_fields=["status"])
    return PolicyLink.objects.create(unit=unit, year=year, document=doc)

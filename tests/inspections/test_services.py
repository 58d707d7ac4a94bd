import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from govqms.core.models import AuditEntry, Notification
from govqms.improvement.models import Nonconformity
from govqms.inspections import risk, services
from govqms.inspections.models import Inspection, InspectionFinding
from tests.factories import make_unit, make_user
from tests.inspections.factories import (
    TODAY,
    YEAR,
    inspected,
    inspection_of,
    make_plan,
)
from tests.oversight.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


def _bands(w, owner, year, bands):
    """Final ratings of a campaign of `year` (made directly: the campaign workflow is
    the assessments app's business)."""
    from govqms.assessments.models import Assessment, Campaign, CriteriaSet

    cs = CriteriaSet.objects.create(owner=owner, year=year, title="Bộ tiêu chí", status="published")
    campaign = Campaign.objects.create(
        owner=owner,
        year=year,
        title=f"Đánh giá {year}",
        criteria_set=cs,
        reference_date=dt.date(year, 1, 1),
        self_assessment_due=dt.date(year, 10, 1),
        appraisal_due=dt.date(year, 11, 1),
    )
    for unit, band in bands.items():
        Assessment.objects.create(campaign=campaign, unit=unit, status="final", band=band)


def test_every_agency_of_the_remit_is_in_the_plan_by_records_or_on_site(world):
    w = world
    plan = make_plan(w)
    units = set(plan.inspections.values_list("unit_id", flat=True))
    # The remit: active units under P with in_dost_remit (P itself is outside).
    assert units == {w.dost.pk, w.a.pk, w.b.pk}
    assert w.c.pk not in units
    assert AuditEntry.objects.filter(action="inspection_plan_create", object_id=str(plan.pk))


def test_on_site_minimum_is_a_third_rounded_up():
    assert risk.on_site_minimum(3, "0.334") == 1
    assert risk.on_site_minimum(166, "0.334") == 56
    assert risk.on_site_minimum(4, "0.334") == 2
    assert risk.on_site_minimum(0, "0.334") == 0
    assert risk.on_site_minimum(10, "0.5") == 5


def test_risk_proposal_picks_the_riskiest_and_at_least_a_third(world):
    w = world
    extra = [make_unit(f"P-X{i}", f"Ủy ban nhân dân xã Thử {i}", parent=w.p) for i in range(3)]
    # Everyone announced and inspected on site before, except as set below.
    from govqms.oversight.models import ConformityAnnouncement

    for unit in [w.dost, w.a, w.b, *extra]:
        ConformityAnnouncement.objects.create(
            unit=unit, decision_number="01/QĐ", decision_date=dt.date(2024, 3, 1)
        )
    _bands(w, w.p, YEAR - 1, {w.a: "weak", w.b: "fair", w.dost: "excellent"})
    # B has an overdue nonconformity.
    from govqms.improvement import services as improvement

    improvement.open_nonconformity(
        None, unit=w.b, source_kind="other", title="Quá hạn", due_date=dt.date(2026, 1, 5)
    )
    plan = make_plan(w)
    rows = {i.unit_id: i for i in plan.inspections.all()}
    total = len(rows)
    assert total == 6
    on_site = [i for i in rows.values() if i.mode == Inspection.Mode.ON_SITE]
    assert len(on_site) == 2 >= total / 3
    assert {i.unit_id for i in on_site} == {w.a.pk, w.b.pk}
    assert all(i.proposed_on_site for i in on_site)
    a, b, dost = rows[w.a.pk], rows[w.b.pk], rows[w.dost.pk]
    assert a.risk_score == risk.BAND_WEIGHTS["weak"] + risk.NEVER_ON_SITE
    assert b.risk_score == (risk.BAND_WEIGHTS["fair"] + risk.OVERDUE_PER_ITEM + risk.NEVER_ON_SITE)
    assert dost.risk_score == risk.NEVER_ON_SITE
    with translation.override("en"):
        texts = risk.reasons_text(a.risk_reasons)
        assert f"Rated Weak in {YEAR - 1} (+40)" in texts
        assert "Never inspected on site (+20)" in texts
        assert any("1 nonconformities past due" in t for t in risk.reasons_text(b.risk_reasons))
    # On-site visits get a month; records in October.
    assert all(i.planned_month and 4 <= i.planned_month <= 10 for i in on_site)


def test_an_earlier_on_site_visit_lowers_the_risk(world):
    w = world
    first = inspected(w, w.a, finding=False)
    services.close_inspection(w.dost_officer, first)
    plan = services.create_plan(w.dost_admin, owner=w.p, year=YEAR + 1, today=TODAY)
    rows = {i.unit_id: i for i in plan.inspections.all()}
    assert not any(r["key"] == "never_on_site" for r in rows[w.a.pk].risk_reasons)
    assert any(r["key"] == "never_on_site" for r in rows[w.b.pk].risk_reasons)


def test_risk_queries_are_batched(world, django_assert_max_num_queries):
    w = world
    for i in range(30):
        make_unit(f"P-Y{i}", f"Ủy ban nhân dân xã Số {i}", parent=w.p)
    units = list(services.participants(w.p, TODAY))
    with django_assert_max_num_queries(40):
        risks = risk.assess(w.p, units, YEAR, TODAY)
    assert len(risks) == 33


def test_only_the_owners_admin_creates_and_approves(world):
    w = world
    for user in (w.dost_officer, w.q_officer, w.a_head):
        with pytest.raises(PermissionDenied):
            services.create_plan(user, owner=w.p, year=YEAR, today=TODAY)
    plan = make_plan(w)
    with pytest.raises(PermissionDenied):
        services.approve_plan(w.dost_officer, plan)
    with pytest.raises(ValidationError):
        make_plan(w)  # one plan per owner and year


def test_approve_is_refused_under_the_minimum_naming_the_shortfall(world):
    w = world
    plan = make_plan(w)
    for inspection in plan.inspections.all():
        services.set_mode(w.dost_admin, inspection, "records")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.approve_plan(w.dost_admin, plan)
    assert "At least 1 of the 3 agencies" in str(exc.value)
    assert "add 1 more" in str(exc.value)
    services.set_mode(w.dost_admin, inspection_of(plan, w.a), "on_site")
    plan = services.approve_plan(w.dost_admin, plan, number="12/KH-SKHCN")
    assert plan.status == "approved" and plan.number == "12/KH-SKHCN"
    with pytest.raises(ValidationError):
        services.set_mode(w.dost_admin, inspection_of(plan, w.b), "on_site")


def test_a_finding_opens_one_nonconformity_of_the_agency(world):
    w = world
    inspection = inspected(w)
    finding = inspection.findings.get()
    nc = Nonconformity.objects.get(pk=finding.nonconformity_id)
    assert nc.unit == w.b
    assert nc.source_kind == "inspection" and nc.source_id == str(finding.pk)
    assert nc.source_url.startswith(f"/inspections/{inspection.pk}/")
    assert nc.due_date == inspection.corrective_report_due
    assert "Sở Khoa học và Công nghệ" in nc.source_label and "25/QĐ-SKHCN" in nc.source_label
    # Idempotent: opening again (an interrupted run repaired) changes nothing.
    InspectionFinding.objects.filter(pk=finding.pk).update(nonconformity_id=None)
    assert services.raise_nonconformities(inspection) == 1
    assert services.raise_nonconformities(inspection) == 0
    assert Nonconformity.objects.filter(unit=w.b, source_kind="inspection").count() == 1
    finding.refresh_from_db()
    assert finding.nonconformity_id == nc.pk
    # An observation opens nothing.
    services.add_finding(w.dost_officer, inspection, text="Nên cải tiến", grade="observation")
    assert Nonconformity.objects.filter(unit=w.b, source_kind="inspection").count() == 1


def test_corrective_report_is_due_two_months_after_the_inspection(world):
    w = world
    inspection = inspected(w, inspected_on=dt.date(2026, 4, 15))
    assert inspection.corrective_report_due == dt.date(2026, 6, 15)
    assert services.add_months(dt.date(2026, 12, 31), 2) == dt.date(2027, 2, 28)
    assert inspection.status == "done"


def test_agencies_and_other_provinces_cannot_run_the_inspection(world):
    w = world
    inspection = inspected(w)
    for user in (w.q_officer, w.b_secretary, w.a_head):
        with pytest.raises(PermissionDenied):
            services.add_finding(user, inspection, text="x")
        with pytest.raises(PermissionDenied):
            services.close_inspection(user, inspection)
    for user in (w.dost_officer, w.a_secretary, w.users["a_staff"]):
        with pytest.raises(PermissionDenied):
            services.submit_corrective_report(user, inspection, text="Đã khắc phục")


def test_corrective_report_then_close(world):
    w = world
    inspection = inspected(w)
    with pytest.raises(ValidationError):
        services.close_inspection(w.dost_officer, inspection)
    with pytest.raises(ValidationError):
        services.submit_corrective_report(
            w.b_secretary, inspection, text="x", file=SimpleUploadedFile("a.exe", b"MZ\x90\x00")
        )
    services.submit_corrective_report(
        w.b_secretary,
        inspection,
        text="Đã tổ chức đánh giá nội bộ ngày 20/5/2026.",
        file=SimpleUploadedFile("bao-cao.pdf", PDF_BYTES),
        today=dt.date(2026, 5, 25),
    )
    inspection.refresh_from_db()
    assert inspection.report_received and inspection.corrective_report_file_name == "bao-cao.pdf"
    assert len(inspection.corrective_report_sha256) == 64
    assert Notification.objects.filter(user=w.dost_officer, kind="inspections").exists()
    services.close_inspection(w.dost_officer, inspection)
    inspection.refresh_from_db()
    assert inspection.status == "closed"
    assert AuditEntry.objects.filter(action="inspection_close", unit=w.b).exists()


def _keys(user):
    return set(
        Notification.objects.filter(user=user, kind="inspections").values_list("key", flat=True)
    )


def test_chase_reminds_then_escalates_to_the_head_then_the_dost(world):
    w = world
    head_b = make_user("b_head", "Nguyễn Văn Hùng", w.b, "head")
    inspection = inspected(w, inspected_on=dt.date(2026, 4, 15))
    due = inspection.corrective_report_due  # 15/06/2026
    assert services.chase(due - dt.timedelta(days=20)) == 0
    # 14 days before: the secretary and the head.
    assert services.chase(due - dt.timedelta(days=14)) == 2
    assert services.chase(due - dt.timedelta(days=14)) == 0  # idempotent
    assert services.chase(due - dt.timedelta(days=10)) == 0
    assert services.chase(due - dt.timedelta(days=3)) == 2
    assert any(k.endswith(":14") for k in _keys(w.b_secretary))
    assert any(k.endswith(":3") for k in _keys(head_b))
    # Overdue: the head first.
    assert services.chase(due + dt.timedelta(days=1)) == 1
    assert any("report_overdue_head" in k for k in _keys(head_b))
    assert not _keys(w.dost_officer) - {
        k for k in _keys(w.dost_officer) if "report_overdue_dost" not in k
    }
    # 5 working days after the due date (Mon 15/06 -> Mon 22/06): the DoST.
    assert services.chase(dt.date(2026, 6, 19)) == 0
    assert services.chase(dt.date(2026, 6, 22)) == 2  # officer and admin of P
    assert any("report_overdue_dost" in k for k in _keys(w.dost_officer))
    assert not _keys(w.q_officer)
    assert services.chase(dt.date(2026, 6, 23)) == 0
    # A report received stops the chase.
    services.submit_corrective_report(head_b, inspection, text="Đã khắc phục")
    assert services.chase(dt.date(2026, 7, 1)) == 0


def test_the_chase_is_a_daily_job():
    from govqms.core.sweep import daily_jobs

    assert daily_jobs()["inspections_corrective_report_chase"] is services.chase


def test_results_for_the_report(world):
    w = world
    inspected(w)
    from govqms.inspections import selectors

    r = selectors.results(w.dost_officer, YEAR)
    assert r["total"] == 3 and r["on_site"] >= 1
    assert r["nonconformities"] == 1 and r["reports_due"] == 1 and r["reports_received"] == 0
    assert selectors.results(w.q_officer, YEAR) is None
    rows = {r.unit_id: r for r in selectors.result_rows(w.dost_officer, YEAR)}
    assert rows[w.b.pk].nonconformities_count == 1 and rows[w.a.pk].findings_count == 0
    assert selectors.result_rows(w.q_officer, YEAR) == []

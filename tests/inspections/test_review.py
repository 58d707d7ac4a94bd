"""Review of the inspections app: month ends of the corrective report's due date,
findings only with the minutes (their nonconformities follow the minutes' date),
the chase's nearest reminder, the permissions as `rules` perms, safe download names
and bounded queries on a plan of 200 agencies."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from govqms.core.models import Notification
from govqms.improvement.models import Nonconformity
from govqms.inspections import services
from govqms.inspections.models import Inspection
from tests.factories import make_unit, make_user
from tests.inspections.factories import TODAY, inspected, inspection_of, make_plan, on_site
from tests.oversight.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day, due",
    [
        (dt.date(2026, 1, 31), dt.date(2026, 3, 31)),
        (dt.date(2026, 11, 30), dt.date(2027, 1, 30)),
        (dt.date(2026, 12, 31), dt.date(2027, 2, 28)),
        (dt.date(2027, 12, 31), dt.date(2028, 2, 29)),
        (dt.date(2026, 4, 30), dt.date(2026, 6, 30)),
        (dt.date(2026, 8, 31), dt.date(2026, 10, 31)),
        (dt.date(2026, 10, 31), dt.date(2026, 12, 31)),
    ],
)
def test_corrective_report_due_at_month_ends(day, due):
    assert services.add_months(day, services.REPORT_MONTHS) == due


def test_corrective_report_due_matches_dateutil_every_day():
    relativedelta = pytest.importorskip("dateutil.relativedelta").relativedelta
    day = dt.date(2026, 1, 1)
    while day < dt.date(2029, 1, 1):
        assert services.add_months(day, 2) == day + relativedelta(months=2), day
        day += dt.timedelta(days=1)


def _decided(w, unit=None):
    unit = unit or w.b
    plan = make_plan(w)
    on_site(w, plan, unit)
    services.approve_plan(w.dost_admin, plan, today=TODAY)
    inspection = inspection_of(plan, unit)
    return services.issue_decision(
        w.dost_officer,
        inspection,
        number="25/QĐ-SKHCN",
        date=dt.date(2026, 4, 1),
        lead=w.dost_officer,
        scheduled_on=dt.date(2026, 4, 15),
        today=dt.date(2026, 4, 1),
    )


def test_a_finding_needs_the_minutes_so_its_nonconformity_has_a_due_date(world):
    w = world
    inspection = _decided(w)
    with pytest.raises(ValidationError):
        services.add_finding(w.dost_officer, inspection, text="Chưa đánh giá nội bộ")
    assert not Nonconformity.objects.filter(unit=w.b, source_kind="inspection").exists()
    # A records inspection of a planned agency too.
    records = inspection_of(inspection.plan, w.a)
    assert records.mode == Inspection.Mode.RECORDS
    with pytest.raises(ValidationError):
        services.add_finding(w.dost_officer, records, text="Hồ sơ thiếu")


def test_changed_minutes_move_the_nonconformities_due_date(world):
    w = world
    inspection = inspected(w, inspected_on=dt.date(2026, 4, 15))
    nc = Nonconformity.objects.get(unit=w.b, source_kind="inspection")
    assert nc.due_date == dt.date(2026, 6, 15)
    services.record_minutes(
        w.dost_officer,
        inspection,
        inspected_on=dt.date(2026, 4, 20),
        conclusion="Cơ bản phù hợp.",
        today=dt.date(2026, 4, 20),
    )
    inspection.refresh_from_db()
    nc.refresh_from_db()
    assert inspection.corrective_report_due == dt.date(2026, 6, 20)
    assert nc.due_date == dt.date(2026, 6, 20)


def test_chase_sends_only_the_nearest_reminder(world):
    w = world
    make_user("b_head", "Nguyễn Văn Hùng", w.b, "head")
    inspection = inspected(w, inspected_on=dt.date(2026, 4, 15))
    due = inspection.corrective_report_due
    # The job did not run 14 days before: 2 days before, only the 3-day reminder.
    assert services.chase(due - dt.timedelta(days=2)) == 2
    keys = set(
        Notification.objects.filter(user=w.b_secretary, kind="inspections").values_list(
            "key", flat=True
        )
    )
    reminders = {k for k in keys if "report_due" in k}
    assert len(reminders) == 1 and reminders.pop().endswith(":3")


def test_permissions_are_rules_perms(world):
    w = world
    inspection = inspected(w)
    plan = inspection.plan
    assert w.dost_admin.has_perm("inspections.manage_plan", plan)
    assert not w.dost_officer.has_perm("inspections.manage_plan", plan)
    assert not w.q_officer.has_perm("inspections.run", inspection)
    assert w.dost_officer.has_perm("inspections.run", inspection)
    assert w.b_secretary.has_perm("inspections.report", inspection)
    assert not w.a_staff.has_perm("inspections.report", inspection)
    assert not w.a_secretary.has_perm("inspections.report", inspection)
    assert not w.dost_officer.has_perm("inspections.report", inspection)


def test_report_file_is_offered_under_a_safe_name_with_its_checked_extension(world, client):
    w = world
    inspection = inspected(w)
    services.submit_corrective_report(
        w.b_secretary,
        inspection,
        text="Đã khắc phục",
        file=SimpleUploadedFile('Báo cáo; "khắc phục"', PDF_BYTES),
    )
    client.force_login(w.b_secretary)
    response = client.get(reverse("inspection_report_file", args=[inspection.pk]))
    assert response.status_code == 200
    # Django encodes the name (RFC 5987); the semicolon and quotes never reach it.
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote("Báo cáo_ _khắc phục.pdf")
    )


def test_post_only_routes_refuse_get(world):
    w = world
    inspection = inspected(w)
    api = APIClient()
    api.force_authenticate(w.dost_admin)
    assert api.get(f"/api/inspections/{inspection.pk}/mode/").status_code == 405
    assert api.get("/api/inspection-plans/2026/approve/").status_code == 405
    plan = inspection.plan
    plan.refresh_from_db()
    assert plan.status == "approved"


@pytest.fixture
def big_plan(world):
    w = world
    for i in range(200):
        make_unit(f"P-Z{i:03d}", f"Ủy ban nhân dân xã Thử {i:03d}", parent=w.p)
    return make_plan(w)


def test_plan_detail_queries_do_not_grow_with_200_agencies(
    world, big_plan, client, django_assert_max_num_queries
):
    w = world
    assert big_plan.inspections.count() == 203
    client.force_login(w.dost_admin)
    url = reverse("inspection_plan_detail", args=[big_plan.year])
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    api = APIClient()
    api.force_authenticate(w.dost_admin)
    with django_assert_max_num_queries(8):
        response = api.get(f"/api/inspection-plans/{big_plan.year}/")
    assert len(response.json()["inspections"]) == 203
    with django_assert_max_num_queries(8):
        response = api.get("/api/inspection-plans/")
    assert len(response.json()[0]["agencies"]) == 203


def test_no_corrective_report_is_asked_without_a_nonconformity(world, client):
    w = world
    inspected(w, finding=False)
    client.cookies["django_language"] = "en"
    client.force_login(w.b_secretary)
    body = client.get(reverse("agency_inspections", args=[w.b.pk])).content.decode()
    assert "25/QĐ-SKHCN" in body and "due 15/06/2026" not in body
    assert "Send the report" not in body
    body = client.get(reverse("agency_detail", args=[w.b.pk])).content.decode()
    assert 'id="inspections-panel"' in body and "Corrective report due" not in body


def test_agency_page_counts_findings_and_asks_for_the_report(world, client):
    w = world
    inspection = inspected(w)
    services.add_finding(w.dost_officer, inspection, text="Nên cải tiến", grade="observation")
    client.cookies["django_language"] = "en"
    client.force_login(w.b_secretary)
    body = client.get(reverse("agency_inspections", args=[w.b.pk])).content.decode()
    assert '<td class="text-end">2</td>' in body and "due 15/06/2026" in body


@override_settings(GOVQMS_MAX_ATTACHMENT_BYTES=100)
def test_an_oversized_report_file_is_refused(world):
    w = world
    inspection = inspected(w)
    with pytest.raises(ValidationError) as exc:
        services.submit_corrective_report(
            w.b_secretary,
            inspection,
            text="Đã khắc phục",
            file=SimpleUploadedFile("bao-cao.pdf", PDF_BYTES + b"0" * 200),
        )
    assert "file" in exc.value.message_dict
    inspection.refresh_from_db()
    assert not inspection.report_received and not inspection.corrective_report_file


def test_a_plan_takes_the_agencies_of_the_province_on_its_day_like_a_campaign(world):
    """A 2022 plan of P keeps an agency a later restructuring moved under Q."""
    w = world
    moved = make_unit(
        "P-OLD",
        "Ủy ban nhân dân xã Cũ",
        parent=w.q,
        valid_from=dt.date(2015, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    day = dt.date(2022, 3, 1)
    plan = services.create_plan(w.dost_admin, owner=w.p, year=2022, today=day)
    assert set(plan.inspections.values_list("unit_id", flat=True)) == {
        w.dost.pk,
        w.a.pk,
        w.b.pk,
        moved.pk,
    }
    other = services.create_plan(None, owner=w.q, year=2022, today=day)
    assert moved.pk not in set(other.inspections.values_list("unit_id", flat=True))


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_plan_lists_read_every_plans_counts_at_once(world, client):
    w = world
    make_plan(w)
    client.force_login(w.dost_admin)
    api = APIClient()
    api.force_authenticate(w.dost_admin)
    page_one = _queries(client, reverse("inspection_plan_list"))
    _queries(api, "/api/inspection-plans/")  # the user's memberships read once
    api_one = _queries(api, "/api/inspection-plans/")
    for year in (2027, 2028, 2029):
        services.create_plan(w.dost_admin, owner=w.p, year=year, today=TODAY)
    assert _queries(client, reverse("inspection_plan_list")) == page_one
    assert _queries(api, "/api/inspection-plans/") == api_one
    plans = api.get("/api/inspection-plans/").json()
    assert [p["year"] for p in plans] == [2029, 2028, 2027, 2026]
    assert all(p["counts"]["total"] == 3 and p["counts"]["minimum"] == 1 for p in plans)


def test_a_repaired_finding_is_in_the_audit_trail(world):
    from govqms.core.models import AuditEntry
    from govqms.inspections.models import InspectionFinding

    w = world
    inspection = inspected(w)
    finding = inspection.findings.get()
    nc_id = finding.nonconformity_id
    InspectionFinding.objects.filter(pk=finding.pk).update(nonconformity_id=None)
    assert services.raise_nonconformities(inspection) == 1
    entries = AuditEntry.objects.filter(action="inspection_finding", object_id=str(finding.pk))
    assert entries.count() == 2
    assert "nonconformity_id" in entries.order_by("-pk").first().changes
    assert InspectionFinding.objects.get(pk=finding.pk).nonconformity_id == nc_id


def test_each_finding_posted_through_the_api_opens_its_own_nonconformity(world):
    w = world
    inspection = inspected(w, finding=False)
    api = APIClient()
    api.force_authenticate(w.dost_officer)
    url = f"/api/inspections/{inspection.pk}/findings/"
    for text in ("Tài liệu hết hiệu lực", "Chưa cập nhật văn bản pháp luật"):
        assert api.post(url, {"text": text, "grade": "nonconformity"}).status_code == 200
    assert api.post(url, {"text": "Nên số hóa hồ sơ", "grade": "observation"}).status_code == 200
    rows = api.get(url).json()
    ncs = [r["nonconformity_id"] for r in rows]
    assert ncs[2] is None and None not in ncs[:2] and len(set(ncs[:2])) == 2
    assert Nonconformity.objects.filter(unit=w.b, source_kind="inspection").count() == 2
    # Repairing opens nothing more.
    assert services.raise_nonconformities(inspection) == 0


def test_the_api_refuses_a_finding_before_the_minutes(world):
    w = world
    inspection = _decided(w)
    api = APIClient()
    api.force_authenticate(w.dost_officer)
    response = api.post(
        f"/api/inspections/{inspection.pk}/findings/", {"text": "x", "grade": "nonconformity"}
    )
    assert response.status_code == 400
    assert not inspection.findings.exists()
    assert not Nonconformity.objects.filter(unit=w.b, source_kind="inspection").exists()

"""The pages: what each role sees and may do; empty states; the risk export."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from govqms.core.models import AuditEntry
from govqms.documents.models import DocumentKind, VersionStatus
from govqms.documents.services import versions
from govqms.planning.models import Measurement, Objective, PlanItem, Risk
from tests.planning.factories import make_item, make_objective, make_risk


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_empty_states(world, en):
    w = world
    en.force_login(w.a_secretary)
    body = en.get(reverse("planning_objectives", args=[w.a.pk]) + "?year=2026").content.decode()
    assert 'id="objectives-empty"' in body and "No quality policy linked" in body
    assert 'id="objective-new"' in body
    body = en.get(reverse("planning_risks", args=[w.a.pk])).content.decode()
    assert 'id="risks-empty"' in body and 'id="heat-map"' in body
    body = en.get(reverse("planning_plan", args=[w.a.pk]) + "?year=2026").content.decode()
    assert 'id="plan-empty"' in body and 'id="plan-generate"' in body


@pytest.mark.django_db
def test_secretary_sets_an_objective_and_measures_it(world, en):
    w = world
    en.force_login(w.a_secretary)
    response = en.post(
        reverse("planning_objective_create", args=[w.a.pk]),
        {
            "year": 2026,
            "title": "Không có hồ sơ trễ hạn",
            "indicator": "Số hồ sơ trễ hạn mỗi quý",
            "measure_unit": "hồ sơ",
            "direction": "lower",
            "target": "0",
            "tolerance": "2",
            "schedule": "quarterly",
            "source": "manual",
            "plan_what": "Nhắc việc hằng tuần",
            "plan_who": w.users["a_process_owner"].pk,
            "plan_when": "2026-12-31",
        },
    )
    objective = Objective.objects.get(unit=w.a)
    assert response.status_code == 302 and objective.plan_who == w.users["a_process_owner"]
    url = reverse("planning_objective_measure", args=[w.a.pk, objective.pk])
    en.post(url, {"measured_on": "2026-03-31", "value": "1", "comment": "Một hồ sơ"})
    body = en.get(reverse("planning_objective", args=[w.a.pk, objective.pk])).content.decode()
    assert "At risk" in body and 'id="chart-measurements"' in body and "Một hồ sơ" in body
    assert AuditEntry.objects.filter(action="measure", object_id=str(objective.pk)).exists()
    # The process owner enters a measurement, but cannot edit the objective.
    en.force_login(w.users["a_process_owner"])
    en.post(url, {"measured_on": "2026-06-30", "value": "0"})
    assert Measurement.objects.filter(objective=objective).count() == 2
    edit = reverse("planning_objective_edit", args=[w.a.pk, objective.pk])
    assert en.get(edit).status_code == 403


@pytest.mark.django_db
def test_read_only_roles_see_no_write_controls(world, en):
    w = world
    objective = make_objective(w.b)
    risk = make_risk(w.b)
    make_item(w.b)
    pages = [
        reverse("planning_objectives", args=[w.b.pk]) + "?year=2026",
        reverse("planning_objective", args=[w.b.pk, objective.pk]),
        reverse("planning_risks", args=[w.b.pk]),
        reverse("planning_risk", args=[w.b.pk, risk.pk]),
        reverse("planning_plan", args=[w.b.pk]) + "?year=2026",
    ]
    en.force_login(w.dost_officer)
    for url in pages:
        body = en.get(url).content.decode()
        assert 'id="oversight-banner"' in body
        for marker in ("objective-new", "measurement-form", "risk-new", "plan-generate", "/edit/"):
            assert marker not in body, (url, marker)
    measure = reverse("planning_objective_measure", args=[w.b.pk, objective.pk])
    assert en.post(measure, {"measured_on": "2026-03-31", "value": "9"}).status_code == 403
    assert not objective.measurements.exists()
    # Oversight reads are written to the agency's trail.
    assert AuditEntry.objects.filter(action="oversight_read", unit=w.b).exists()
    # Outsiders: 404.
    en.force_login(w.a_secretary)
    assert all(en.get(url).status_code == 404 for url in pages)


@pytest.mark.django_db
def test_staff_reads(world, en):
    w = world
    make_objective(w.a)
    en.force_login(w.a_staff)
    body = en.get(reverse("planning_objectives", args=[w.a.pk]) + "?year=2026").content.decode()
    assert "Giải quyết hồ sơ đúng hạn" in body and 'id="objective-new"' not in body
    assert en.get(reverse("planning_risk_create", args=[w.a.pk])).status_code == 403
    assert en.post(reverse("planning_plan_generate", args=[w.a.pk])).status_code == 403


@pytest.mark.django_db
def test_policy_links_a_controlled_document_and_shows_its_effective_version(world, en):
    w = world
    doc = versions.create_document(
        None,
        unit=w.a,
        code="CS-01",
        title="Chính sách chất lượng",
        kind=DocumentKind.QUALITY_POLICY,
        division="Văn phòng",
        content={},
    )
    version = doc.versions.get()
    version.status, version.effective_from = VersionStatus.EFFECTIVE, dt.date(2026, 1, 5)
    version.save()
    en.force_login(w.a_secretary)
    url = reverse("planning_policy_set", args=[w.a.pk])
    assert en.post(url, {"year": 2026, "document": doc.pk}).status_code == 302
    body = en.get(reverse("planning_objectives", args=[w.a.pk]) + "?year=2026").content.decode()
    assert "CS-01" in body and "Effective version: issue 1, since 05/01/2026" in body


@pytest.mark.django_db
def test_risk_register_filters_heat_map_and_export(world, en):
    w = world
    make_risk(w.a, description="Thất lạc hồ sơ giấy", likelihood=4, impact=4)
    make_risk(w.a, description="Cơ hội số hóa hồ sơ", kind="opportunity", likelihood=2, impact=2)
    en.force_login(w.a_secretary)
    url = reverse("planning_risks", args=[w.a.pk])
    body = en.get(url).content.decode()
    assert 'data-likelihood="4" data-impact="4" data-count="1"' in body
    body = en.get(url + "?likelihood=4&impact=4").content.decode()
    assert "Thất lạc hồ sơ giấy" in body and "Cơ hội số hóa" not in body
    body = en.get(url + "?q=so hoa").content.decode()  # accents folded
    assert "Cơ hội số hóa hồ sơ" in body and "Thất lạc" not in body
    response = en.get(url + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][2] == "Thất lạc hồ sơ giấy" and rows[1][6] == 16
    # A new risk through the form.
    response = en.post(
        reverse("planning_risk_create", args=[w.a.pk]),
        {
            "kind": "risk",
            "process_text": "Trả kết quả",
            "description": "Trả nhầm kết quả",
            "likelihood": 2,
            "impact": 5,
            "owner": w.a_head.pk,
            "review_date": "2026-12-01",
        },
    )
    assert response.status_code == 302
    assert Risk.objects.get(description="Trả nhầm kết quả").level == 10


@pytest.mark.django_db
def test_plan_page_generate_timeline_and_overdue(world, en):
    w = world
    en.force_login(w.a_secretary)
    en.post(reverse("planning_plan_generate", args=[w.a.pk]), {"year": 2025})
    assert PlanItem.objects.filter(unit=w.a, year=2025).count() == 6
    body = en.get(reverse("planning_plan", args=[w.a.pk]) + "?year=2025").content.decode()
    assert body.count("plan-overdue") == 6 and "6 overdue" in body
    body = en.get(
        reverse("planning_plan", args=[w.a.pk]) + "?year=2025&view=timeline"
    ).content.decode()
    assert 'id="plan-timeline"' in body and "08/2025" in body
    item = PlanItem.objects.filter(unit=w.a, kind="internal_audit").get()
    response = en.post(
        reverse("planning_plan_edit", args=[w.a.pk, item.pk]),
        {
            "year": 2025,
            "kind": "internal_audit",
            "title": item.title,
            "start": "2025-08-01",
            "end": "2025-08-31",
            "remind_days": 7,
            "status": "done",
            "done_on": "2025-08-28",
            "evidence": "Báo cáo đánh giá nội bộ",
            "evidence_url": "https://example.org/bao-cao",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done" and item.evidence_url == "https://example.org/bao-cao"

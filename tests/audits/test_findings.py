"""Findings: graded, tied to a clause and a process; major and minor ones raise a
nonconformity in the improvement app, once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from govqms.audits import selectors, services
from govqms.audits.models import Grade
from tests.audits.factories import make_plan, procedure


def _finding(w, plan, grade=Grade.MINOR, **extra):
    data = {
        "grade": grade,
        "clause": "8.5.1",
        "process": plan.processes.first(),
        "description": "Hai hồ sơ trả trễ hạn không có phiếu xin lỗi.",
        "evidence": "Hồ sơ số 000.00.01.H01-260310-0001 và -0002.",
    }
    data.update(extra)
    return services.record_finding(w.users["a_internal_auditor"], plan, **data)


def test_finding_is_graded_and_tied_to_clause_and_process(aw):
    plan = make_plan(aw)
    finding = _finding(aw, plan, grade=Grade.OBSERVATION)
    assert finding.clause == "8.5.1" and finding.process == plan.processes.first()
    assert finding.nonconformity_id == ""
    with pytest.raises(ValidationError):
        _finding(aw, plan, clause="")
    with pytest.raises(ValidationError):
        _finding(aw, plan, grade="serious")
    with pytest.raises(PermissionDenied):
        services.record_finding(aw.a_staff, plan, grade="minor", clause="8.5.1", description="x")


def test_finding_on_a_question_marks_it(aw):
    plan = make_plan(aw)
    item = services.add_item(aw.a_secretary, plan, question="Có phiếu xin lỗi không?")
    _finding(aw, plan, item=item)
    item.refresh_from_db()
    assert item.result == "finding"


def test_a_process_of_another_agency_is_refused(aw):
    plan = make_plan(aw)
    other, _ = procedure(aw, unit=aw.b)
    with pytest.raises(ValidationError):
        _finding(aw, plan, process=other)


def test_minor_finding_opens_a_nonconformity_once(aw, client):
    from govqms.improvement.selectors import nonconformities_for_source

    plan = make_plan(aw)
    finding = _finding(aw, plan)
    finding.refresh_from_db()
    assert finding.nonconformity_id
    ncs = nonconformities_for_source(aw.a, "audit_finding", [str(finding.pk)])
    nc = ncs[str(finding.pk)]
    assert str(nc.pk) == finding.nonconformity_id
    # Once only: asking again returns the same nonconformity.
    services._open_nonconformity(aw.users["a_internal_auditor"], finding)
    again = nonconformities_for_source(aw.a, "audit_finding", [str(finding.pk)])
    assert again[str(finding.pk)].pk == nc.pk
    assert len(again) == 1
    # An observation raises none.
    obs = _finding(aw, plan, grade=Grade.OBSERVATION)
    assert str(obs.pk) not in nonconformities_for_source(aw.a, "audit_finding", [str(obs.pk)])
    # The plan shows the nonconformity's status.
    rows = selectors.findings_with_nonconformities(plan)
    assert rows[0]["nc"].pk == nc.pk and rows[0]["nc_status"]
    client.cookies["django_language"] = "en"
    client.force_login(aw.a_staff)
    page = client.get(reverse("audit_plan_detail", args=[plan.pk])).content.decode()
    with translation.override("en"):
        assert nc.get_status_display() in page
    assert rows[0]["nc_url"] in page


def test_finding_page(aw, client):
    client.cookies["django_language"] = "en"
    plan = make_plan(aw)
    client.force_login(aw.users["a_internal_auditor"])
    url = reverse("audit_finding_add", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "grade": "minor",
            "clause": "7.5.3",
            "process": plan.processes.first().pk,
            "description": "Sổ theo dõi hồ sơ không ghi ngày trả.",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("audit_plan_detail", args=[plan.pk])).content.decode()
    assert "Sổ theo dõi hồ sơ không ghi ngày trả." in page and "Minor nonconformity" in page
    client.force_login(aw.a_staff)
    assert client.get(url).status_code == 403


def test_formalism_signals(aw):
    day = dt.date(2025, 6, 2)
    plan = make_plan(aw, day=day)  # 08:00–17:00, 1 process + 2 clauses
    assert selectors.audit_duration_hours(plan) == 9.0
    assert selectors.scope_size(plan) == 3
    assert not selectors.implausibly_short(plan)
    assert selectors.implausibly_short(plan, hours_per_item=4)
    lead = aw.users["a_internal_auditor"]
    services.start_audit(lead, plan, at=services.timezone.make_aware(dt.datetime(2025, 6, 2, 8)))
    services.complete_audit(
        lead, plan, at=services.timezone.make_aware(dt.datetime(2025, 6, 2, 9, 30))
    )
    plan.refresh_from_db()
    assert selectors.audit_duration_hours(plan) == 1.5
    assert selectors.implausibly_short(plan)
    assert selectors.audit_completed_in_year(aw.a, 2025)
    assert not selectors.audit_completed_in_year(aw.a, 2024)
    assert list(selectors.audits_without_findings(aw.a, 2025)) == [plan]
    assert selectors.years_without_findings(aw.a) == [2025]


def test_the_finding_links_to_its_nonconformity(aw):
    plan = make_plan(aw)
    finding = _finding(aw, plan, grade=Grade.MAJOR)
    (row,) = selectors.findings_with_nonconformities(plan)
    assert row["nc_url"] == reverse(
        "nc_detail", kwargs={"unit_pk": aw.a.pk, "pk": int(finding.nonconformity_id)}
    )
    assert row["nc"].grade == "major" and row["nc"].clause == "8.5.1"
    assert row["nc"].process == plan.processes.first()

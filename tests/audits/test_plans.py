"""Audit plans: who may be lead or team (register, certificate, independence)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from govqms.audits import services
from govqms.audits.models import PlanStatus
from govqms.organizations import services as org_services
from govqms.organizations.models import Role
from tests.audits.factories import make_plan, moment, procedure, register, second_auditor
from tests.factories import START, make_user


def _messages(exc):
    return " ".join(exc.value.messages)


def test_a_registered_certified_auditor_may_lead(aw):
    other = second_auditor(aw)
    plan = make_plan(aw, team=[other])
    assert plan.status == PlanStatus.PLANNED
    assert plan.year == 2026
    assert [u.pk for u in plan.auditors()] == [aw.users["a_internal_auditor"].pk, other.pk]


def test_independence_refuses_an_auditor_of_the_audited_division(aw):
    auditor = aw.users["a_internal_auditor"]
    org_services.add_membership(
        None,
        user=auditor,
        unit=aw.a,
        role=Role.STAFF,
        division="Tư pháp - Hộ tịch",
        valid_from=START,
    )
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        make_plan(aw)
    text = _messages(exc)
    assert "Independence" in text
    assert str(auditor) in text and "Tư pháp - Hộ tịch" in text
    # The same person may audit another division.
    plan = make_plan(aw, divisions=["Văn phòng"])
    assert plan.pk


def test_independence_refuses_the_owner_of_a_process_in_scope(aw):
    auditor = aw.users["a_internal_auditor"]
    document, _ = procedure(aw)
    document.owner = auditor
    document.save(update_fields=["owner"])
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        make_plan(aw, processes=[document], divisions=[])
    text = _messages(exc)
    assert "Independence" in text and str(auditor) in text and document.code in text
    assert "which they own" in text


def test_a_team_member_is_checked_too(aw):
    member = second_auditor(aw)  # division "Văn phòng"
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        make_plan(aw, team=[member], divisions=["Văn phòng"])
    assert str(member) in _messages(exc) and "Văn phòng" in _messages(exc)


def test_an_expired_certificate_is_refused(aw):
    user = make_user("a_old_auditor", "Ngô Văn Cũ", aw.a, Role.STAFF)
    register(aw.a, user, expiry=dt.date(2026, 3, 9))
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        make_plan(aw, lead=user)
    text = _messages(exc)
    assert str(user) in text and "09/03/2026" in text and "expires" in text
    # A certificate valid through the audit's last day is fine.
    register_user = make_user("a_new_auditor", "Ngô Văn Mới", aw.a, Role.STAFF)
    register(aw.a, register_user, expiry=dt.date(2026, 3, 10))
    assert make_plan(aw, lead=register_user).pk


def test_someone_not_in_the_register_is_refused(aw):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        make_plan(aw, lead=aw.a_staff)
    assert "register" in _messages(exc) and str(aw.a_staff) in _messages(exc)


def test_an_inactive_auditor_is_refused(aw):
    user = make_user("a_gone", "Lý Thị Nghỉ", aw.a, Role.STAFF)
    register(aw.a, user, active=False)
    with pytest.raises(ValidationError):
        make_plan(aw, lead=user)


def test_only_head_and_secretary_plan(aw):
    doc, _ = procedure(aw)
    data = {
        "title": "Đánh giá",
        "planned_start": moment(dt.date(2026, 4, 1), 8),
        "planned_end": moment(dt.date(2026, 4, 1), 16),
        "lead": aw.users["a_internal_auditor"],
        "processes": [doc],
    }
    for user in (aw.a_staff, aw.users["a_internal_auditor"], aw.dost_officer, aw.b_secretary):
        with pytest.raises(PermissionDenied):
            services.create_plan(user, aw.a, **data)
    assert services.create_plan(aw.a_head, aw.a, **data).pk
    assert services.create_plan(aw.a_secretary, aw.a, **{**data, "title": "Đợt 2"}).pk


def test_end_before_start_is_refused(aw):
    with pytest.raises(ValidationError):
        make_plan(aw, planned_end=moment(dt.date(2026, 3, 9), 8))


def test_the_plan_form_states_the_rule_and_names_the_refused_auditor(aw, client):
    client.cookies["django_language"] = "en"
    auditor = aw.users["a_internal_auditor"]
    org_services.add_membership(
        None,
        user=auditor,
        unit=aw.a,
        role=Role.STAFF,
        division="Tư pháp - Hộ tịch",
        valid_from=START,
    )
    doc, _ = procedure(aw)
    client.force_login(aw.a_secretary)
    url = reverse("audit_plan_create", args=[aw.a.pk])
    page = client.get(url).content.decode()
    assert (
        "Only auditors in the agency&#x27;s register" in page
        or "Only auditors in the agency's register" in page
    )
    assert "nobody may audit their own division" in page
    response = client.post(
        url,
        {
            "title": "Đánh giá hộ tịch",
            "planned_start": "2026-05-04T08:00",
            "planned_end": "2026-05-04T16:30",
            "lead": auditor.pk,
            "processes": [doc.pk],
            "clauses": ["8.5.1"],
            "divisions": ["Tư pháp - Hộ tịch"],
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Independence" in body and str(auditor) in body and "Tư pháp - Hộ tịch" in body


def test_status_flow_records_actual_times(aw):
    plan = make_plan(aw)
    lead = aw.users["a_internal_auditor"]
    services.start_audit(lead, plan, at=moment(dt.date(2026, 3, 10), 8, 15))
    plan = services.complete_audit(lead, plan, at=moment(dt.date(2026, 3, 10), 16, 45))
    assert plan.status == PlanStatus.COMPLETED
    with pytest.raises(PermissionDenied):
        services.issue_report(lead, plan)
    plan = services.issue_report(aw.a_secretary, plan)
    assert plan.status == PlanStatus.REPORT_ISSUED and plan.report_issued_on
    with pytest.raises(ValidationError):
        services.start_audit(aw.a_secretary, plan)

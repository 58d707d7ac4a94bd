"""Security review of internal audit: access of invited auditors after the audit, and
an issued report that must stay as issued (pages and API alike)."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from govqms.audits import services
from govqms.audits.models import AuditPlan
from govqms.organizations.models import Role
from tests.audits.factories import make_plan, moment, register
from tests.factories import make_user

DAY1, DAY2 = dt.date(2026, 12, 10), dt.date(2026, 12, 11)


@pytest.fixture
def invitee(aw):
    user = make_user("b_auditor", "Phan Thị Mời", aw.b, Role.STAFF, division="Văn phòng")
    return register(aw.b, user, in_pool=True)


def _on(day):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def test_moving_the_dates_of_a_finished_audit_does_not_reopen_an_invited_access(
    aw, invitee, client
):
    plan = make_plan(aw, day=DAY1, planned_end=moment(DAY2, 17))
    invitation = services.invite_auditor(aw.a_head, plan, invitee)
    with _on(DAY1):
        services.start_audit(invitee.user, plan)
        services.complete_audit(invitee.user, plan)
    later = DAY2 + dt.timedelta(days=30)
    with _on(DAY2 + dt.timedelta(days=1)):
        services.update_plan(
            aw.a_secretary,
            AuditPlan.objects.get(pk=plan.pk),
            planned_start=moment(DAY1, 8),
            planned_end=moment(later, 17),
        )
    invitation.membership.refresh_from_db()
    assert invitation.membership.valid_to == DAY1
    client.force_login(invitee.user)
    with _on(DAY2 + dt.timedelta(days=5)):
        assert client.get(reverse("audit_plan_detail", args=[plan.pk])).status_code == 404


def test_the_report_text_is_frozen_once_the_report_is_issued(aw, client):
    lead = aw.users["a_internal_auditor"]
    plan = make_plan(aw, day=DAY1)
    with _on(DAY1):
        services.start_audit(lead, plan)
        services.complete_audit(lead, plan, at=moment(DAY1, 16), summary="Tóm tắt thật")
        services.issue_report(aw.a_secretary, plan)
    with pytest.raises(ValidationError):
        services.save_report_text(lead, plan, summary="Sửa sau khi ban hành", conclusion="x")
    plan.refresh_from_db()
    assert plan.summary == "Tóm tắt thật"
    client.force_login(lead)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("audit_plan_report_text", args=[plan.pk]),
        {"summary": "Sửa qua trang", "conclusion": "y"},
        follow=True,
    )
    assert response.status_code == 200
    assert "can no longer change" in response.content.decode()
    plan.refresh_from_db()
    assert plan.summary == "Tóm tắt thật"


def test_an_invited_auditor_taken_off_the_team_loses_the_access(aw, invitee, client):
    plan = make_plan(aw, day=DAY1, planned_end=moment(DAY2, 17))
    invitation = services.invite_auditor(aw.a_head, plan, invitee)
    with _on(DAY1 - dt.timedelta(days=2)):
        services.update_plan(aw.a_secretary, AuditPlan.objects.get(pk=plan.pk), team=[])
    client.force_login(invitee.user)
    with _on(DAY1):
        assert client.get(reverse("audit_plan_detail", args=[plan.pk])).status_code == 404
        assert client.get(reverse("agency_detail", args=[aw.a.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.membership is None

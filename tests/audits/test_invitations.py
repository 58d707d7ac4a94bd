"""The cross-agency pool: an invited auditor sees the audited agency's records on the
audit's days only (a dated internal_auditor membership)."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from govqms.audits import services
from govqms.organizations.models import Membership, Role
from tests.audits.factories import make_plan, register
from tests.factories import make_user

DAY1, DAY2 = dt.date(2026, 12, 10), dt.date(2026, 12, 11)


@pytest.fixture
def invitee(aw):
    user = make_user("b_auditor", "Phan Thị Mời", aw.b, Role.STAFF, division="Văn phòng")
    return register(aw.b, user, in_pool=True)


def _on(day):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def _status(client, url, day):
    with _on(day):
        return client.get(url).status_code


def test_invited_auditor_sees_the_agency_during_the_audit_only(aw, invitee, client):
    plan = make_plan(
        aw, day=DAY1, planned_end=services.timezone.make_aware(dt.datetime(2026, 12, 11, 17))
    )
    invitation = services.invite_auditor(aw.a_head, plan, invitee)
    membership = invitation.membership
    assert membership.role == Role.INTERNAL_AUDITOR and membership.unit == aw.a
    assert (membership.valid_from, membership.valid_to) == (DAY1, DAY2)
    assert plan.team.filter(pk=invitee.user_id).exists()

    client.force_login(invitee.user)
    for url in (
        reverse("audit_plan_list", args=[aw.a.pk]),
        reverse("audit_plan_detail", args=[plan.pk]),
        reverse("agency_detail", args=[aw.a.pk]),
    ):
        assert _status(client, url, DAY1 - dt.timedelta(days=1)) == 404, url
        assert _status(client, url, DAY1) == 200, url
        assert _status(client, url, DAY2) == 200, url
        assert _status(client, url, DAY2 + dt.timedelta(days=1)) == 404, url
    # Their own agency is unaffected.
    assert (
        _status(client, reverse("audit_plan_list", args=[aw.b.pk]), DAY2 + dt.timedelta(days=5))
        == 200
    )


def test_completing_early_ends_the_access_that_day(aw, invitee, client):
    plan = make_plan(
        aw, day=DAY1, planned_end=services.timezone.make_aware(dt.datetime(2026, 12, 11, 17))
    )
    invitation = services.invite_auditor(aw.a_head, plan, invitee)
    with _on(DAY1):
        services.start_audit(invitee.user, plan)
        services.complete_audit(invitee.user, plan)
    invitation.membership.refresh_from_db()
    assert invitation.membership.valid_to == DAY1
    client.force_login(invitee.user)
    url = reverse("audit_plan_detail", args=[plan.pk])
    assert _status(client, url, DAY1) == 200
    assert _status(client, url, DAY2) == 404


def test_cancelling_before_the_audit_withdraws_the_access(aw, invitee, client):
    plan = make_plan(aw, day=DAY1)
    services.invite_auditor(aw.a_head, plan, invitee)
    with _on(DAY1 - dt.timedelta(days=3)):
        services.cancel_plan(aw.a_secretary, plan)
    assert not Membership.objects.filter(user=invitee.user, unit=aw.a).exists()
    client.force_login(invitee.user)
    assert _status(client, reverse("audit_plan_detail", args=[plan.pk]), DAY1) == 404


def test_only_the_head_invites(aw, invitee):
    plan = make_plan(aw, day=DAY1)
    for user in (aw.a_secretary, aw.a_staff, aw.users["a_internal_auditor"], aw.dost_admin):
        with pytest.raises(PermissionDenied):
            services.invite_auditor(user, plan, invitee)


def test_invitation_needs_a_certified_pool_auditor_of_another_agency(aw, invitee):
    plan = make_plan(aw, day=DAY1)
    own = services.Auditor.objects.get(unit=aw.a)
    with pytest.raises(ValidationError):
        services.invite_auditor(aw.a_head, plan, own)
    invitee.in_pool = False
    invitee.save()
    with pytest.raises(ValidationError):
        services.invite_auditor(aw.a_head, plan, invitee)
    invitee.in_pool = True
    invitee.certificate_expiry = DAY1 - dt.timedelta(days=1)
    invitee.save()
    with pytest.raises(ValidationError):
        services.invite_auditor(aw.a_head, plan, invitee)


def test_the_invite_page_lists_the_pool(aw, invitee, client):
    plan = make_plan(aw, day=DAY1)
    client.force_login(aw.a_head)
    url = reverse("audit_plan_invite", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "Phan Thị Mời" in page and aw.b.name in page
    response = client.post(url, {"auditor": invitee.pk})
    assert response.status_code == 302
    assert Membership.objects.filter(user=invitee.user, unit=aw.a, valid_to=DAY1).exists()
    client.force_login(aw.a_secretary)
    assert client.get(url).status_code == 403

"""The catalogue: create and edit with history and audit, search, filters, the
5-working-day ISO list deadline, assignments and permissions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from govqms.core.calendar import Calendar
from govqms.core.models import AuditEntry
from govqms.procedures import selectors, services
from govqms.procedures.models import Assignment, ProcedureRevision
from tests.procedures.factories import BIRTH, covered_assignment, make_tthc

pytestmark = pytest.mark.django_db


def test_create_writes_a_revision_and_an_audit_entry(world):
    tthc = services.create_procedure(world.dost_admin, **BIRTH)
    revision = tthc.revisions.get()
    assert revision.changes["name"] == [None, "Đăng ký khai sinh"]
    assert revision.announced_by == "Quyết định số 1872/QĐ-BTP"
    assert revision.changed_by == world.dost_admin
    assert AuditEntry.objects.filter(action="procedure_create", object_id=str(tthc.pk)).exists()
    assert str(tthc.time_limit_days) == "1.00"


def test_update_keeps_history_and_nothing_changed_writes_nothing(world):
    tthc = make_tthc()
    revision = services.update_procedure(
        world.dost_admin,
        tthc,
        fees="50.000 đồng",
        announced_by="Quyết định số 100/QĐ-BTP",
        announced_on=dt.date(2026, 3, 2),
    )
    assert revision.changes["fees"] == ["Miễn lệ phí", "50.000 đồng"]
    assert revision.changes["announced_on"] == ["2020-10-15", "2026-03-02"]
    assert revision.announced_by == "Quyết định số 100/QĐ-BTP"
    assert services.update_procedure(world.dost_admin, tthc, fees="50.000 đồng") is None
    assert ProcedureRevision.objects.filter(procedure=tthc).count() == 2


def test_only_dost_administrators_edit_the_catalogue(world):
    for user in (world.dost_officer, world.a_secretary, world.a_head, world.a_staff):
        with pytest.raises(PermissionDenied):
            services.create_procedure(user, **BIRTH)
    with pytest.raises(ValidationError):
        services.create_procedure(world.dost_admin, **{**BIRTH, "code": "1-001193"})


def test_search_folds_accents_and_filters(world):
    make_tthc()
    make_tthc(code="1.000894", name="Đăng ký kết hôn", online_level="partial")
    make_tthc(code="2.000635", name="Cấp giấy phép xây dựng", level="provincial", field="Xây dựng")
    user = world.a_staff
    assert [p.code for p in selectors.catalogue(user, query="dang ky")] == ["1.000894", "1.001193"]
    assert [p.code for p in selectors.catalogue(user, query="KET HON")] == ["1.000894"]
    assert [p.code for p in selectors.catalogue(user, level="provincial")] == ["2.000635"]
    assert [p.code for p in selectors.catalogue(user, online_level="partial")] == ["1.000894"]
    assert [p.code for p in selectors.catalogue(user, field="Xây dựng")] == ["2.000635"]
    assert not selectors.catalogue(None).exists()


def test_catalogue_pages(world, client):
    tthc = make_tthc()
    client.force_login(world.a_staff)
    body = client.get(reverse("procedure_list"), {"q": "khai sinh"}).content.decode()
    assert "1.001193" in body
    body = client.get(reverse("procedure_detail", args=[tthc.pk])).content.decode()
    assert "Quyết định số 1872/QĐ-BTP" in body
    assert client.get(reverse("procedure_edit", args=[tthc.pk])).status_code == 403
    client.force_login(world.dost_admin)
    response = client.post(
        reverse("procedure_edit", args=[tthc.pk]),
        {
            **{k: v for k, v in BIRTH.items() if k != "announced_on"},
            "announced_on": "2026-03-02",
            "time_limit_days": "0.5",
        },
    )
    assert response.status_code == 302
    tthc.refresh_from_db()
    assert str(tthc.time_limit_days) == "0.50"
    assert tthc.revisions.count() == 2


# ---------------------------------------------------------------- 5 working days


def test_announcement_sets_the_list_update_deadline_through_the_calendar(world):
    tthc = make_tthc(announced_on=None)
    (a,) = services.assign(None, tthc, [world.a], assigned_on=dt.date(2026, 1, 2))
    assert a.list_update_due is None
    # Announced Friday 13 February 2026, just before Tết (off 16-20 February).
    services.update_procedure(world.dost_admin, tthc, announced_on=dt.date(2026, 2, 13))
    a.refresh_from_db()
    assert a.list_update_due == dt.date(2026, 2, 27)
    assert (
        Calendar.for_scope(world.a.province).working_days_between(
            dt.date(2026, 2, 13), a.list_update_due
        )
        == 5
    )
    # The agency marks its list updated; a later announcement opens a new deadline.
    assert services.mark_list_updated(world.a_secretary, world.a, on=dt.date(2026, 2, 20)) == 1
    a.refresh_from_db()
    assert a.list_updated_on == dt.date(2026, 2, 20)
    services.update_procedure(world.dost_admin, tthc, announced_on=dt.date(2026, 4, 27))
    a.refresh_from_db()
    # 30/4 and 1/5 are holidays: Tue 28, Wed 29, Mon 4, Tue 5, Wed 6 May.
    assert a.list_update_due == dt.date(2026, 5, 6)
    assert a.list_updated_on is None


def test_assignment_after_the_announcement_counts_from_the_assignment(world):
    tthc = make_tthc(announced_on=dt.date(2020, 10, 15))
    (a,) = services.assign(None, tthc, [world.a], assigned_on=dt.date(2026, 1, 5))
    assert a.list_update_due == dt.date(2026, 1, 12)  # Tue 6 ... Fri 9, Mon 12


def test_overdue_list_updates_show_on_the_homes(world, client):
    tthc = make_tthc(announced_on=None)
    services.assign(None, tthc, [world.a], assigned_on=dt.date(2024, 1, 2))
    services.update_procedure(None, tthc, announced_on=dt.date(2024, 3, 1))
    assert selectors.overdue_list_updates(world.a_secretary, world.a).count() == 1
    client.force_login(world.a_secretary)
    body = client.get(reverse("agency_detail", args=[world.a.pk])).content.decode()
    assert "list-update-overdue" in body and "1.001193" in body
    client.force_login(world.dost_officer)
    body = client.get(reverse("agency_list")).content.decode()
    assert "procedures-overdue-panel" in body and world.a.name in body
    client.force_login(world.q_officer)
    body = client.get(reverse("agency_list")).content.decode()
    assert world.a.name not in body
    # The secretary presses the button.
    client.force_login(world.a_secretary)
    response = client.post(reverse("agency_list_updated", args=[world.a.pk]))
    assert response.status_code == 302
    assert not selectors.overdue_list_updates(world.a_secretary, world.a).exists()


# ---------------------------------------------------------------- assignments and permissions


def test_bulk_assignment_by_kind_and_idempotence(world, client):
    tthc = make_tthc()
    client.force_login(world.dost_admin)
    url = reverse("procedure_assign", args=[tthc.pk])
    assert client.post(url, {"kind": "commune_pc"}).status_code == 302
    units = set(Assignment.objects.filter(procedure=tthc).values_list("unit__code", flat=True))
    assert units == {"P-A", "P-B"}  # not Q-C: another province
    client.post(url, {"kind": "commune_pc"})
    assert Assignment.objects.filter(procedure=tthc).count() == 2
    audit = AuditEntry.objects.filter(action="procedure_assign")
    assert audit.count() == 2 and set(audit.values_list("unit__code", flat=True)) == {"P-A", "P-B"}


def test_who_may_assign_and_set_scope(world):
    tthc = make_tthc()
    for user in (world.a_staff, world.a_secretary, world.dost_officer, world.q_officer):
        with pytest.raises(PermissionDenied):
            services.assign(user, tthc, [world.a])
    with pytest.raises(PermissionDenied):
        services.assign(world.dost_admin, tthc, [world.c])
    (a,) = services.assign(world.dost_admin, tthc, [world.a])
    owner = world.users["a_process_owner"]
    for user in (world.a_staff, owner, world.dost_officer, world.b_secretary):
        with pytest.raises(PermissionDenied):
            services.set_scope(user, a, in_scope=False, document=None)
    services.set_scope(world.a_head, a, in_scope=False, document=None)
    a.refresh_from_db()
    assert not a.in_scope


def test_scope_document_must_be_the_agencys_own_procedure(world):
    from tests.documents.factories import make_procedure

    a = covered_assignment(world.a)
    other = make_procedure(world.b, code="QT-B")
    with pytest.raises(ValidationError):
        services.set_scope(world.a_secretary, a, in_scope=True, document=other)
    from govqms.documents.services import versions

    policy = versions.create_document(
        None, unit=world.a, code="CS-01", title="Chính sách chất lượng", kind="quality_policy"
    )
    with pytest.raises(ValidationError):
        services.set_scope(world.a_secretary, a, in_scope=True, document=policy)


def test_dost_officer_is_read_only_and_other_agencies_get_404(world, client):
    a = covered_assignment(world.a)
    client.force_login(world.dost_officer)
    assert client.get(reverse("agency_procedures", args=[world.a.pk])).status_code == 200
    assert client.get(reverse("assignment_edit", args=[a.pk])).status_code == 403
    assert client.post(reverse("agency_list_updated", args=[world.a.pk])).status_code == 403
    assert client.get(reverse("procedure_create")).status_code == 403
    client.force_login(world.b_secretary)
    assert client.get(reverse("agency_procedures", args=[world.a.pk])).status_code == 404
    assert client.get(reverse("assignment_process", args=[a.pk])).status_code == 404
    client.force_login(world.a_staff)
    assert client.get(reverse("agency_procedures", args=[world.a.pk])).status_code == 200
    assert client.get(reverse("assignment_edit", args=[a.pk])).status_code == 403

"""The yearly QMS plan: the usual plan, reminders before and on the day (once per
key), overdue items on the agency home and the DoST home."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from govqms.core.models import Notification
from govqms.core.sweep import daily_jobs
from govqms.planning import selectors, services
from tests.planning.factories import make_item


@pytest.mark.django_db
def test_generate_the_usual_plan(world):
    w = world
    items = services.generate_standard_plan(w.a_secretary, w.a, 2027)
    kinds = [i.kind for i in items]
    assert kinds == [
        "training",
        "document_review",
        "internal_audit",
        "management_review",
        "self_assessment",
        "annual_report",
    ]
    assert all(i.year == 2027 and i.start.year == 2027 and i.start <= i.end for i in items)
    assert services.generate_standard_plan(w.a_secretary, w.a, 2027) == []  # once
    with pytest.raises(PermissionDenied):
        services.generate_standard_plan(w.a_staff, w.a, 2028)
    with pytest.raises(PermissionDenied):
        services.generate_standard_plan(w.dost_admin, w.a, 2028)


@pytest.mark.django_db
def test_done_needs_a_date_and_cancelled_a_reason(world):
    w = world
    item = make_item(w.a, w.a_secretary)
    with pytest.raises(ValidationError):
        services.save_plan_item(w.a_secretary, w.a, {"status": "done"}, item=item)
    with pytest.raises(ValidationError):
        services.cancel_plan_item(w.a_secretary, item, reason=" ")
    with pytest.raises(ValidationError):
        services.save_plan_item(w.a_secretary, w.a, {"end": dt.date(2026, 7, 1)}, item=item)
    services.complete_plan_item(
        w.a_secretary, item, done_on=dt.date(2026, 8, 20), evidence="Báo cáo đánh giá số 12"
    )
    item.refresh_from_db()
    assert item.status == "done" and not selectors.is_overdue(item, dt.date(2027, 1, 1))


@pytest.mark.django_db
def test_reminders_before_and_on_the_day_once_per_key(world):
    w = world
    owner = w.users["a_internal_auditor"]
    make_item(w.a, owner=owner, start=dt.date(2026, 8, 10), end=dt.date(2026, 8, 20))
    job = daily_jobs()["planning_plan_reminders"]
    people = {owner.pk, w.a_secretary.pk}

    def sent(day):
        before = set(Notification.objects.values_list("pk", flat=True))
        job(day)
        return list(Notification.objects.exclude(pk__in=before))

    assert sent(dt.date(2026, 8, 2)) == []  # 8 days before the start
    first = sent(dt.date(2026, 8, 3))  # 7 days before
    assert {n.user_id for n in first} == people and "10/08/2026" in first[0].subject
    assert sent(dt.date(2026, 8, 4)) == []  # already told
    assert len(sent(dt.date(2026, 8, 10))) == 2  # the start day
    assert len(sent(dt.date(2026, 8, 13))) == 2  # 7 days before the end
    assert len(sent(dt.date(2026, 8, 20))) == 2  # the end day
    overdue = sent(dt.date(2026, 8, 21))
    assert len(overdue) == 2 and all("overdue" in n.key for n in overdue)
    assert sent(dt.date(2026, 8, 22)) == []
    assert overdue[0].url.startswith(reverse("planning_plan", args=[w.a.pk]))
    # Done or cancelled items are not reminded.
    done = make_item(w.a, start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 2))
    services.complete_plan_item(None, done, done_on=dt.date(2026, 8, 25))
    assert sent(dt.date(2026, 9, 1)) == []


@pytest.mark.django_db
def test_overdue_items_on_the_agency_home_and_the_dost_home(world, client):
    w = world
    client.cookies["django_language"] = "en"
    today = dt.date.today()
    late = make_item(
        w.b,
        year=today.year,
        title="Họp xem xét của lãnh đạo quá hạn",
        start=today - dt.timedelta(days=20),
        end=today - dt.timedelta(days=5),
    )
    make_item(
        w.b,
        year=today.year,
        title="Đào tạo sắp tới",
        start=today + dt.timedelta(days=5),
        end=today + dt.timedelta(days=6),
    )
    make_item(w.c, start=today - dt.timedelta(days=9), end=today - dt.timedelta(days=8))
    client.force_login(w.b_secretary)
    body = client.get(reverse("agency_detail", args=[w.b.pk])).content.decode()
    assert 'id="planning-panel"' in body and late.title in body and "1 overdue" in body
    client.force_login(w.dost_officer)
    body = client.get(reverse("agency_list")).content.decode()
    assert 'id="planning-oversight-panel"' in body
    assert w.b.name in body and reverse("planning_plan", args=[w.b.pk]) in body
    assert w.c.name not in body  # another province
    rows = selectors.overdue_plan_by_agency(w.q_officer)
    assert [(r["unit"], r["count"]) for r in rows] == [(w.c, 1)]
    # The DoST's link lists every overdue item of the agency.
    body = client.get(reverse("planning_plan", args=[w.b.pk]) + "?overdue=1").content.decode()
    assert late.title in body and "Đào tạo sắp tới" not in body

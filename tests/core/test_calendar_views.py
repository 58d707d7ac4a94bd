"""The working calendar page and its override forms."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from govqms.core.models import AuditEntry, CalendarOverride

ADD = "calendar_override_add"


def _post_add(client, **data):
    body = {
        "date": "2026-03-09",
        "kind": "day_off",
        "scope": "Bắc Ninh",
        "legal_basis": "Quyết định 12/QĐ-UBND",
        "note": "",
    }
    body.update(data)
    return client.post(reverse(ADD), body)


def test_signed_in_users_read_the_calendar(world, client):
    response = client.get(reverse("calendar"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(world.a_staff)
    response = client.get(reverse("calendar"), {"year": 2026})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-day="2026-02-17" data-working="0"' in body  # Tết
    assert 'data-day="2026-02-23" data-working="1"' in body
    assert 'id="override-add"' not in body and reverse(ADD) not in body
    assert response.context["scope"] == "Bắc Ninh"  # the province of the user's agency
    assert response.context["working_days"] == 249


@pytest.mark.parametrize(
    ("year", "shown"), [("2015", 2015), ("1990", 2015), ("2099", 2035), ("x", None)]
)
def test_the_year_switcher_stays_in_range(world, client, year, shown):
    client.force_login(world.a_staff)
    response = client.get(reverse("calendar"), {"year": year, "scope": "Nowhere"})
    assert response.status_code == 200
    assert response.context["year"] == (shown or timezone.localdate().year)
    assert response.context["scope"] == "Bắc Ninh"


def test_a_dost_administrator_adds_and_removes_a_change(world, client):
    client.force_login(world.dost_admin)
    body = client.get(reverse("calendar"), {"year": 2026}).content.decode()
    assert 'id="override-add"' in body
    response = _post_add(client, note="Lễ hội tỉnh")
    assert response.status_code == 302 and "year=2026" in response["Location"]
    override = CalendarOverride.objects.get()
    assert (override.scope, override.created_by) == ("Bắc Ninh", world.dost_admin)
    body = client.get(response["Location"]).content.decode()
    assert 'data-day="2026-03-09" data-working="0"' in body and "Lễ hội tỉnh" in body
    delete = reverse("calendar_override_delete", args=[override.pk])
    assert client.get(delete).status_code == 200
    response = client.post(delete, {"reason": "Nhập nhầm"})
    assert response.status_code == 302 and not CalendarOverride.objects.exists()
    assert AuditEntry.objects.filter(action__startswith="calendar_override").count() == 2


def test_errors_are_shown_on_the_form(world, client):
    client.force_login(world.dost_admin)
    client.cookies["django_language"] = "en"  # the messages are read in English here
    response = _post_add(client, date="2026-02-17")  # already a day off (Tết)
    assert response.status_code == 200 and "already a day off" in response.content.decode()
    response = _post_add(client, legal_basis="")
    assert response.status_code == 200 and response.context["form"].errors["legal_basis"]
    response = _post_add(client, scope="")  # national: superusers only, not offered
    assert response.status_code == 200 and response.context["form"].errors["scope"]
    response = _post_add(client, scope="Lạng Sơn")
    assert response.status_code == 200 and response.context["form"].errors["scope"]
    assert not CalendarOverride.objects.exists()


def test_others_may_not_change_the_calendar(world, client):
    other = CalendarOverride.objects.create(
        date=dt.date(2026, 3, 9), kind="day_off", scope="Lạng Sơn", legal_basis="QĐ 2"
    )
    for user in (world.dost_officer, world.q_officer, world.a_head, world.b_secretary):
        client.force_login(user)
        assert _post_add(client).status_code == 403
        delete = reverse("calendar_override_delete", args=[other.pk])
        assert client.post(delete).status_code == 403
    client.force_login(world.dost_admin)  # administers Bắc Ninh, not Lạng Sơn
    assert client.post(reverse("calendar_override_delete", args=[other.pk])).status_code == 403
    assert client.get(reverse("calendar_override_delete", args=[999999])).status_code == 404
    assert CalendarOverride.objects.count() == 1


def test_a_superuser_changes_the_national_calendar(world, client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.vn", "x")
    client.force_login(root)
    response = _post_add(
        client,
        date="2026-01-02",
        scope="",
        legal_basis="Công văn 12729/VPCP-KGVX ngày 25/12/2025",
    )
    assert response.status_code == 302, response.context["form"].errors
    client.force_login(world.c_secretary)  # Lạng Sơn sees the national change
    body = client.get(reverse("calendar"), {"year": 2026}).content.decode()
    assert 'data-day="2026-01-02" data-working="0"' in body and "12729/VPCP-KGVX" in body

"""The inputs of a review: compiled live before the meeting, frozen when it is held,
in the order of 9.3.2 whatever providers are registered."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from govqms.organizations.models import ChangeKind, UnitChange
from govqms.reviews import inputs, selectors, services
from govqms.reviews.inputs import Section
from tests.reviews.factories import held, plan


def _input(data, key):
    return next(item for item in data["inputs"] if item["key"] == key)


def _restructure(w, day):
    change = UnitChange.objects.create(
        kind=ChangeKind.RENAME, date=day, legal_basis="Nghị quyết 1234/NQ-UBTVQH15"
    )
    change.from_units.add(w.a)
    change.to_units.add(w.a)
    return change


def test_live_before_hold_follows_the_records(world):
    w = world
    review = plan(w)
    before = selectors.review_inputs(w.a_secretary, review)
    assert before["frozen"] is False
    assert not _input(before, "context_changes")["sections"][0]["rows"]
    _restructure(w, dt.date(2026, 6, 1))
    after = selectors.review_inputs(w.a_secretary, review)
    assert "Nghị quyết 1234/NQ-UBTVQH15" in str(_input(after, "context_changes")["sections"])


def test_holding_freezes_the_inputs(world):
    """Required: a record changed after the meeting does not change its inputs."""
    w = world
    review = plan(w, resources="Thiếu 01 công chức một cửa.")
    _restructure(w, dt.date(2026, 6, 1))
    review = services.hold_review(w.a_secretary, review)
    assert review.status == "held" and review.frozen_at is not None
    frozen = selectors.review_inputs(w.a_secretary, review)
    assert frozen["frozen"] is True
    snapshot = [dict(item) for item in frozen["inputs"]]

    # The records change afterwards: another restructuring, a legal change, an action.
    UnitChange.objects.all().delete()
    _restructure(w, dt.date(2026, 7, 1))
    UnitChange.objects.update(legal_basis="Quyết định khác")
    earlier = held(
        w, title="Xem xét lần trước", planned_date=dt.date(2026, 1, 10), held_at=timezone.now()
    )
    services.add_decision(w.a_secretary, earlier, kind="improvement", text="Việc mới")

    review.refresh_from_db()
    again = selectors.review_inputs(w.a_secretary, review)
    assert [(i["key"], i["sections"]) for i in again["inputs"]] == [
        (i["key"], i["sections"]) for i in snapshot
    ]
    assert "Nghị quyết 1234/NQ-UBTVQH15" in str(_input(again, "context_changes"))
    assert "Quyết định khác" not in str(again["inputs"])
    assert "Việc mới" not in str(again["inputs"])
    assert "Thiếu 01 công chức một cửa." in str(_input(again, "resources"))
    # The manual inputs of a held review are locked with the rest.
    with pytest.raises(ValidationError):
        services.update_review(w.a_secretary, review, resources="khác")


def test_holding_twice_is_refused(world):
    review = held(world)
    with pytest.raises(ValidationError):
        services.hold_review(world.a_secretary, review)


def test_sections_follow_9_3_2_with_a_missing_and_a_broken_provider(world, monkeypatch, client):
    w = world
    providers = dict(inputs._providers)
    providers.pop("satisfaction", None)  # no app provides it

    def broken(unit, start, end):
        raise RuntimeError("boom")

    providers["monitoring"] = [broken]
    providers["objectives"] = [lambda unit, start, end: Section(summary="Đạt 4/5 mục tiêu")]
    monkeypatch.setattr(inputs, "_providers", providers)
    review = plan(w)
    data = selectors.review_inputs(w.a_secretary, review)
    assert [i["key"] for i in data["inputs"]] == inputs.KEYS
    assert _input(data, "satisfaction")["sections"] == []
    assert _input(data, "monitoring")["sections"][0]["error"] is True
    assert _input(data, "objectives")["sections"][0]["summary"] == "Đạt 4/5 mục tiêu"

    client.force_login(w.a_staff)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("review_detail", args=[w.a.pk, review.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "No data recorded for this input." in body
    assert "Đạt 4/5 mục tiêu" in body
    assert body.index("Status of actions from previous management reviews") < body.index(
        "Opportunities for improvement"
    )


def test_held_review_shows_the_frozen_badge(world, client):
    review = held(world)
    client.force_login(world.a_staff)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("review_detail", args=[world.a.pk, review.pk])).content.decode()
    assert "Frozen on" in body and "Live: compiled" not in body

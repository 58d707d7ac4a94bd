"""The API: same permissions as the pages."""

import datetime as dt

from django.urls import reverse
from rest_framework.test import APIClient

from govqms.organizations.models import ChangeKind, UnitChange
from govqms.reviews import services
from govqms.reviews.models import ManagementReview
from tests.reviews.factories import held, plan


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_plan_list_and_inputs_live_then_frozen(world):
    w = world
    api = _api(w.a_secretary)
    url = reverse("api-review-list", args=[w.a.pk])
    response = api.post(
        url,
        {
            "title": "Xem xét qua API",
            "planned_date": "2026-12-15",
            "chair": w.a_head.pk,
            "attendees": [w.a_staff.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["period_start"] == "2025-12-16"
    assert [r["title"] for r in api.get(url).json()] == ["Xem xét qua API"]
    assert api.get(url, {"year": 2025}).json() == []

    inputs_url = reverse("api-review-inputs", args=[w.a.pk, pk])
    live = api.get(inputs_url).json()
    assert live["frozen"] is False and len(live["inputs"]) == 12
    services.hold_review(w.a_secretary, ManagementReview.objects.get(pk=pk))
    frozen = api.get(inputs_url).json()
    change = UnitChange.objects.create(
        kind=ChangeKind.RENAME, date=dt.date(2026, 5, 1), legal_basis="NQ 9/2026"
    )
    change.to_units.add(w.a)
    after = api.get(inputs_url).json()
    assert after["frozen"] is True and after["inputs"] == frozen["inputs"]
    assert "NQ 9/2026" not in str(after["inputs"])


def test_staff_and_dost_may_not_write_outsiders_get_404(world):
    w = world
    url = reverse("api-review-list", args=[w.a.pk])
    body = {"title": "x", "planned_date": "2026-12-15", "chair": w.a_head.pk}
    assert _api(w.a_staff).post(url, body, format="json").status_code == 403
    assert _api(w.b_secretary).get(url).status_code == 404
    assert _api(w.b_secretary).post(url, body, format="json").status_code == 404
    review = held(w, unit=w.b)
    b_url = reverse("api-review-list", args=[w.b.pk])
    assert _api(w.dost_officer).get(b_url).status_code == 200
    assert _api(w.dost_officer).post(b_url, body, format="json").status_code == 403
    decisions = reverse("api-review-decisions", args=[w.b.pk, review.pk])
    assert (
        _api(w.dost_officer)
        .post(decisions, {"kind": "improvement", "text": "x"}, format="json")
        .status_code
        == 403
    )
    assert APIClient().get(b_url).status_code in (401, 403)


def test_decisions_and_actions(world):
    w = world
    review = held(w)
    api = _api(w.a_head)
    url = reverse("api-review-decisions", args=[w.a.pk, review.pk])
    response = api.post(
        url,
        {
            "kind": "qms_change",
            "text": "Cập nhật sổ tay chất lượng",
            "owner": w.a_staff.pk,
            "due_date": "2026-01-31",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    action = response.json()
    assert action["status"] == "open" and action["owner"]["name"] == "Người A staff"
    assert api.post(url, {"kind": "bad", "text": "x"}, format="json").status_code == 400
    assert [a["id"] for a in api.get(reverse("api-review-actions", args=[w.a.pk])).json()] == [
        action["id"]
    ]

    detail = reverse("api-review-action-detail", args=[w.a.pk, action["id"]])
    assert (
        _api(w.users["a_process_owner"]).patch(detail, {"evidence": "x"}, format="json").status_code
        == 403
    )
    response = _api(w.a_staff).patch(detail, {"status": "done"}, format="json")
    assert response.status_code == 400  # evidence first
    response = _api(w.a_staff).patch(
        detail,
        {"status": "done", "evidence": "Sổ tay lần 3", "done_on": "2026-01-20"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["done_on"] == "2026-01-20"
    assert _api(w.b_secretary).get(detail).status_code == 404


def test_planned_review_has_no_decisions_by_api(world):
    w = world
    review = plan(w)
    url = reverse("api-review-decisions", args=[w.a.pk, review.pk])
    response = _api(w.a_secretary).post(url, {"kind": "improvement", "text": "x"}, format="json")
    assert response.status_code == 400

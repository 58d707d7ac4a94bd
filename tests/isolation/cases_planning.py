"""Isolation cases of the policy and objectives, the risk register and the yearly plan
(planning/urls.py and planning/api_urls.py)."""

import datetime as dt

from govqms.planning import services
from tests.isolation import AGENCY, MANAGE, Route


def once(builder):
    def cached(w, target):
        store = w.__dict__.setdefault("_isolation_objects", {})
        key = (builder.__name__, target.pk)
        if key not in store:
            store[key] = builder(w, target)
        return store[key]

    return cached


@once
def _records(w, target):
    objective = services.save_objective(
        None,
        target,
        {
            "year": 2026,
            "title": f"Mục tiêu thử {target.code}",
            "indicator": "Tỷ lệ hồ sơ đúng hạn",
            "measure_unit": "%",
            "direction": "higher",
            "target": 95,
            "tolerance": 5,
            "schedule": "quarterly",
            "source": "manual",
        },
    )
    services.record_measurement(None, objective, value=96, measured_on=dt.date(2026, 3, 31))
    risk = services.save_risk(
        None,
        target,
        {
            "kind": "risk",
            "process_text": "Tiếp nhận hồ sơ",
            "description": f"Rủi ro thử {target.code}",
            "likelihood": 3,
            "impact": 4,
        },
    )
    item = services.save_plan_item(
        None,
        target,
        {
            "year": 2026,
            "kind": "internal_audit",
            "title": f"Đánh giá nội bộ {target.code}",
            "start": dt.date(2026, 8, 1),
            "end": dt.date(2026, 8, 31),
        },
    )
    return {"objective": objective.pk, "risk": risk.pk, "item": item.pk}


def _unit(w, target):
    _records(w, target)
    return {"unit_pk": target.pk}


def _objective(w, target):
    return {"unit_pk": target.pk, "pk": _records(w, target)["objective"]}


def _risk(w, target):
    return {"unit_pk": target.pk, "pk": _records(w, target)["risk"]}


def _item(w, target):
    return {"unit_pk": target.pk, "pk": _records(w, target)["item"]}


def _year(w, target):
    return {"year": 2026}


ROUTES = {
    # Pages
    "planning_objectives": Route(AGENCY, _unit),
    "planning_policy_set": Route(MANAGE, _unit, method="post", data=_year),
    "planning_objective_create": Route(MANAGE, _unit),
    "planning_objective": Route(AGENCY, _objective),
    "planning_objective_edit": Route(MANAGE, _objective),
    "planning_objective_measure": Route(
        MANAGE,
        _objective,
        method="post",
        data=lambda w, t: {"measured_on": "2026-06-30", "value": "97"},
    ),
    "planning_objective_measure_now": Route(MANAGE, _objective, method="post"),
    "planning_risks": Route(AGENCY, _unit),
    "planning_risk_create": Route(MANAGE, _unit),
    "planning_risk": Route(AGENCY, _risk),
    "planning_risk_edit": Route(MANAGE, _risk),
    "planning_plan": Route(AGENCY, _unit),
    "planning_plan_create": Route(MANAGE, _unit),
    "planning_plan_generate": Route(MANAGE, _unit, method="post", data=_year),
    "planning_plan_edit": Route(MANAGE, _item),
    # API
    "api-objective-list": Route(AGENCY, _unit),
    "api-objective-detail": Route(AGENCY, _objective),
    "api-objective-measurements": Route(AGENCY, _objective),
    "api-risk-list": Route(AGENCY, _unit),
    "api-risk-detail": Route(AGENCY, _risk),
    "api-plan-item-list": Route(AGENCY, _unit),
    "api-plan-item-detail": Route(AGENCY, _item),
}

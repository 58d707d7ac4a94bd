"""Isolation cases of nonconformities and corrective actions (improvement/urls.py and
improvement/api_urls.py)."""

import datetime as dt

from tests.isolation import AGENCY, MANAGE, Route, target_secretary
from tests.isolation.cases_documents import once


def _actor(w, target):
    return target_secretary(w, target)


def _open(w, target, title):
    from govqms.improvement import services

    return services.open_nonconformity(
        _actor(w, target), unit=target, source_kind="other", title=f"{title} {target.code}"
    )


def _analysed(w, target, title):
    from govqms.improvement import services

    nc = _open(w, target, title)
    return services.record_analysis(_actor(w, target), nc, whys=[], root_cause="Nguyên nhân")


def _with_action(w, target, title):
    from govqms.improvement import services

    nc = _analysed(w, target, title)
    action = services.add_action(
        _actor(w, target),
        nc,
        text="Hành động khắc phục",
        owner=_actor(w, target),
        due_date=dt.date.today() + dt.timedelta(days=10),
    )
    return nc, action


@once
def _nc(w, target):
    return _open(w, target, "Không phù hợp")


@once
def _nc_analysed(w, target):
    return _analysed(w, target, "Đã phân tích")


@once
def _nc_action(w, target):
    return _with_action(w, target, "Có hành động")


@once
def _nc_done(w, target):
    from govqms.improvement import services

    nc, action = _with_action(w, target, "Đã làm xong")
    services.complete_action(_actor(w, target), action)
    return nc


@once
def _nc_ready(w, target):
    from govqms.improvement import services

    nc = _nc_done(w, target)
    services.evaluate(_actor(w, target), nc, effective=True)
    return nc


def _unit(w, target):
    _nc(w, target)
    return {"unit_pk": target.pk}


def _kw(builder):
    def kwargs(w, target):
        return {"unit_pk": target.pk, "pk": builder(w, target).pk}

    return kwargs


def _action_kw(w, target):
    nc, action = _nc_action(w, target)
    return {"unit_pk": target.pk, "pk": nc.pk, "action_pk": action.pk}


def _today(w, target):
    return dt.date.today().isoformat()


ROUTES = {
    "nc_list": Route(AGENCY, _unit),
    "nc_export": Route(AGENCY, _unit),
    "nc_detail": Route(AGENCY, _kw(_nc)),
    "nc_create": Route(MANAGE, _unit),
    "nc_edit": Route(MANAGE, _kw(_nc)),
    "nc_correction": Route(
        MANAGE,
        _kw(_nc),
        method="post",
        data=lambda w, t: {"correction": "Đã khắc phục", "correction_on": _today(w, t)},
    ),
    "nc_analysis": Route(
        MANAGE,
        _kw(_nc),
        method="post",
        data=lambda w, t: {"why_1": "Tại sao?", "because_1": "Vì", "root_cause": "Nguyên nhân"},
    ),
    "nc_action_add": Route(
        MANAGE,
        _kw(_nc_analysed),
        method="post",
        data=lambda w, t: {
            "text": "Hành động",
            "owner": _actor(w, t).pk,
            "due_date": _today(w, t),
        },
    ),
    "nc_action_done": Route(
        MANAGE, _action_kw, method="post", data=lambda w, t: {"evidence": "Biên bản"}
    ),
    "nc_evaluate": Route(
        MANAGE,
        _kw(_nc_done),
        method="post",
        data=lambda w, t: {"effective": "yes", "comment": "Hiệu quả"},
    ),
    "nc_close": Route(MANAGE, _kw(_nc_ready), method="post"),
    # API
    "api-nc-list": Route(AGENCY, _unit),
    "api-nc-detail": Route(AGENCY, _kw(_nc)),
    "api-nc-correction": Route(
        MANAGE, _kw(_nc), method="post", data=lambda w, t: {"correction": "Đã khắc phục"}
    ),
    "api-nc-analysis": Route(
        MANAGE, _kw(_nc), method="post", data=lambda w, t: {"root_cause": "Nguyên nhân"}
    ),
    "api-nc-action-add": Route(
        MANAGE,
        _kw(_nc_analysed),
        method="post",
        data=lambda w, t: {
            "text": "Hành động",
            "owner": _actor(w, t).username,
            "due_date": _today(w, t),
        },
    ),
    "api-nc-action-done": Route(MANAGE, _action_kw, method="post"),
    "api-nc-evaluate": Route(
        MANAGE, _kw(_nc_done), method="post", data=lambda w, t: {"effective": "true"}
    ),
    "api-nc-close": Route(MANAGE, _kw(_nc_ready), method="post"),
}

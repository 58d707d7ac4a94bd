"""Security review: what the API must refuse even when the page would not offer it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from govqms.planning import services
from govqms.planning.models import Objective
from govqms.procedures.models import Assignment
from tests.documents.factories import make_procedure
from tests.dossiers.factories import make_tthc
from tests.planning.factories import make_objective, make_risk


def _assign(procedure, unit, **extra):
    return Assignment.objects.create(
        procedure=procedure, unit=unit, assigned_on=dt.date(2026, 1, 1), **extra
    )


@pytest.mark.django_db
def test_an_objective_links_only_the_agencys_assigned_tthc(world):
    w = world
    mine = make_tthc(code="1.000001", name="Của A")
    _assign(mine, w.a)
    theirs = make_tthc(code="1.000002", name="Của B")
    _assign(theirs, w.b)
    ended = make_tthc(code="1.000003", name="Đã thôi giao")
    _assign(ended, w.a, ended_on=dt.date(2026, 2, 1))
    objective = make_objective(w.a, w.a_secretary, procedures=[mine])
    for foreign in (theirs, ended):
        with pytest.raises(ValidationError):
            make_objective(w.a, w.a_secretary, procedures=[foreign])
        with pytest.raises(ValidationError):
            services.save_objective(
                w.a_secretary, w.a, {}, objective=objective, procedures=[mine, foreign]
            )
    assert list(objective.procedures.all()) == [mine]


@pytest.mark.django_db
def test_the_api_refuses_a_tthc_of_another_agency(world):
    w = world
    theirs = make_tthc(code="1.000002", name="Của B")
    _assign(theirs, w.b)
    api = APIClient()
    api.force_authenticate(w.a_secretary)
    response = api.post(
        f"/api/units/{w.a.pk}/objectives/",
        {
            "year": 2026,
            "title": "Đúng hạn",
            "indicator": "Tỷ lệ đúng hạn",
            "target": "95",
            "source": "linked",
            "kpi": "on_time_rate",
            "procedures": [theirs.pk],
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert not Objective.objects.filter(unit=w.a).exists()


@pytest.mark.django_db
def test_a_process_owner_cannot_move_their_risk_to_another_owners_process(world):
    w = world
    owner = w.users["a_process_owner"]
    own = make_procedure(w.a, code="QT-01")
    own.owner = owner
    own.save()
    other = make_procedure(w.a, code="QT-02")
    risk = make_risk(w.a, owner, process=own, process_text="")
    with pytest.raises(PermissionDenied):
        services.save_risk(owner, w.a, {"process": other}, risk=risk)
    risk.refresh_from_db()
    assert risk.process == own
    api = APIClient()
    api.force_authenticate(owner)
    response = api.patch(
        f"/api/units/{w.a.pk}/risks/{risk.pk}/", {"process": other.pk}, format="json"
    )
    assert response.status_code == 403
    risk.refresh_from_db()
    assert risk.process == own
    # The secretary may still move it.
    services.save_risk(w.a_secretary, w.a, {"process": other}, risk=risk)

"""The risks and opportunities register: level bands (data), heat map counts,
history, review reminders and who may write."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govqms.core.models import Notification
from govqms.core.sweep import daily_jobs
from govqms.planning import selectors, services
from govqms.planning.models import RiskBands
from tests.documents.factories import make_procedure
from tests.planning.factories import make_risk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("likelihood", "impact", "band"),
    [
        (1, 1, "low"),
        (2, 2, "low"),
        (1, 5, "medium"),
        (3, 3, "medium"),
        (3, 4, "high"),
        (5, 5, "high"),
    ],
)
def test_default_bands(world, likelihood, impact, band):
    assert selectors.bands(world.a).band(likelihood * impact) == band


@pytest.mark.django_db
def test_bands_are_data_global_then_per_agency(world):
    w = world
    RiskBands.objects.create(unit=None, medium_from=4, high_from=15)
    assert selectors.bands(w.a).band(4) == "medium" and selectors.bands(w.a).band(12) == "medium"
    RiskBands.objects.create(unit=w.a, medium_from=6, high_from=10)
    assert selectors.bands(w.a).band(4) == "low" and selectors.bands(w.a).band(12) == "high"
    assert selectors.bands(w.b).band(12) == "medium"  # B keeps the global thresholds
    make_risk(w.a, likelihood=2, impact=5)  # 10: high for A
    make_risk(w.a, likelihood=1, impact=2)  # 2: low
    assert selectors.risks(w.a, band="high").count() == 1
    assert selectors.risks(w.a, band="low").count() == 1
    assert selectors.risks(w.a, band="medium").count() == 0


@pytest.mark.django_db
def test_heat_map_counts(world):
    w = world
    for li, im in [(3, 4), (3, 4), (5, 5), (1, 2)]:
        make_risk(w.a, likelihood=li, impact=im)
    make_risk(w.a, likelihood=3, impact=4, kind="opportunity")
    make_risk(w.a, likelihood=2, impact=2, closed=True)  # closed: not on the map
    make_risk(w.b, likelihood=3, impact=4)  # another agency
    grid = selectors.heat_map(selectors.risks(w.a), w.a)
    cells = {(c["likelihood"], c["impact"]): c for row in grid for c in row}
    assert len(cells) == 25 and [c["impact"] for c in grid[0]] == [5] * 5
    assert cells[(3, 4)]["count"] == 3 and cells[(3, 4)]["band"] == "high"
    assert cells[(5, 5)]["count"] == 1 and cells[(1, 2)]["count"] == 1
    assert cells[(2, 2)]["count"] == 0
    assert sum(c["count"] for c in cells.values()) == 5
    only_risks = selectors.heat_map(selectors.risks(w.a, kind="risk"), w.a)
    assert {(c["likelihood"], c["impact"]): c for r in only_risks for c in r}[(3, 4)]["count"] == 2
    # A cell filters the list.
    assert selectors.risks(w.a, likelihood=3, impact=4).count() == 3


@pytest.mark.django_db
def test_history_of_assessments_and_evaluation(world):
    w = world
    risk = make_risk(w.a, w.a_secretary, treatment="Lập sổ giao nhận hồ sơ")
    services.save_risk(w.a_secretary, w.a, {"likelihood": 2, "effectiveness": "partly"}, risk=risk)
    risk.refresh_from_db()
    assert risk.evaluated_on is not None and risk.level == 8
    events = list(risk.events.order_by("at", "pk"))
    assert [(e.level, e.band, e.effectiveness) for e in events] == [
        (12, "high", ""),
        (8, "medium", "partly"),
    ]
    with pytest.raises(ValidationError):
        services.save_risk(w.a_secretary, w.a, {"impact": 6}, risk=risk)
    with pytest.raises(ValidationError):
        make_risk(w.a, process_text="")


@pytest.mark.django_db
def test_process_owner_writes_the_risks_of_their_own_process(world):
    w = world
    owner = w.users["a_process_owner"]
    own = make_procedure(w.a, code="QT-01")
    own.owner = owner
    own.save()
    other = make_procedure(w.a, code="QT-02")
    risk = make_risk(w.a, owner, process=own, process_text="")
    services.save_risk(owner, w.a, {"treatment": "Kiểm tra chéo"}, risk=risk)
    with pytest.raises(PermissionDenied):
        make_risk(w.a, owner, process=other, process_text="")
    foreign = make_risk(w.a, w.a_secretary, process=other, process_text="")
    with pytest.raises(PermissionDenied):
        services.save_risk(owner, w.a, {"impact": 1}, risk=foreign)
    for user in (w.a_staff, w.b_secretary, w.dost_officer, w.dost_admin):
        with pytest.raises(PermissionDenied):
            make_risk(w.a, user)
    with pytest.raises(ValidationError):  # B's procedure is not A's process
        make_risk(w.a, w.a_secretary, process=make_procedure(w.b, code="QT-B"), process_text="")


@pytest.mark.django_db
def test_review_dates_due_are_reminded_once(world):
    w = world
    risk = make_risk(w.a, owner=w.users["a_process_owner"], review_date=dt.date(2026, 6, 30))
    nobody = make_risk(w.a, review_date=dt.date(2026, 6, 1))
    make_risk(w.a, review_date=dt.date(2026, 12, 31))
    job = daily_jobs()["planning_risk_reviews"]
    assert job(dt.date(2026, 5, 31)) == 0
    assert job(dt.date(2026, 6, 30)) == 2  # the owner, and A's ISO secretary for the other
    assert job(dt.date(2026, 7, 1)) == 0
    assert Notification.objects.get(key__contains=f"risk:{risk.pk}:").user == risk.owner
    assert Notification.objects.get(key__contains=f"risk:{nobody.pk}:").user == w.a_secretary


@pytest.mark.django_db
def test_bands_are_set_through_the_service(world):
    w = world
    services.set_risk_bands(w.a_secretary, w.a, medium_from=4, high_from=10)
    assert selectors.bands(w.a).band(10) == "high"
    with pytest.raises(PermissionDenied):
        services.set_risk_bands(w.a_staff, w.a, medium_from=3, high_from=9)
    with pytest.raises(PermissionDenied):
        services.set_risk_bands(w.a_secretary, None, medium_from=3, high_from=9)
    with pytest.raises(ValidationError):
        services.set_risk_bands(w.a_secretary, w.a, medium_from=12, high_from=10)
    services.set_risk_bands(None, None, medium_from=6, high_from=15)
    assert selectors.bands(w.b).band(12) == "medium"

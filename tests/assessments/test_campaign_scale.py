"""Opening a campaign for many agencies stores the scores in bulk, not row by row."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from govqms.assessments import services
from govqms.assessments.models import CriteriaGroup, CriteriaSet, Criterion, Score
from tests.factories import make_unit


def test_open_for_many_agencies_bulk_creates_scores(world):
    for i in range(60):
        make_unit(f"P-X{i:03}", f"Ủy ban nhân dân xã Thử {i:03}", parent=world.p)
    cs = CriteriaSet.objects.create(owner=world.p, year=2026, title="Bộ", status="published")
    group = CriteriaGroup.objects.create(criteria_set=cs, order=1, code="1", title="Nhóm")
    for i in range(25):
        Criterion.objects.create(
            criteria_set=cs, group=group, order=i, code=f"1.{i}", text="x", max_points=Decimal(4)
        )
    with CaptureQueriesContext(connection) as queries:
        campaign = services.open_campaign(
            world.dost_admin,
            owner=world.p,
            year=2026,
            criteria_set=cs,
            self_assessment_due=dt.date(2026, 10, 15),
            appraisal_due=dt.date(2026, 11, 15),
        )
    assert Score.objects.filter(assessment__campaign=campaign).count() == 63 * 25
    inserts = [q for q in queries.captured_queries if 'INSERT INTO "assessments_score"' in q["sql"]]
    # One bulk_create, which the database may split into a few batches (SQLite's
    # limit on parameters), never a row at a time.
    assert len(inserts) <= 63 * 25 // 50

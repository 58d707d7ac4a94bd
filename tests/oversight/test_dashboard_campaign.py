"""The dashboard over campaigns run through the assessments services (open,
self-assess, submit, appraise, contest, decide, finalize, close): the figures it
prints are those the services computed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from govqms.assessments import services
from govqms.assessments.models import Assessment
from govqms.oversight import dashboard
from tests.assessments.test_campaign import make_set

pytestmark = pytest.mark.django_db

URL = reverse("assessment_dashboard")


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def d(year, month, day):
    return dt.date(year, month, day)


def run_campaign(w, year, appraised: dict, *, contest=None):
    """One campaign of province P through the services. Agency A self-assesses and its
    head submits; the other participants (B, the DoST unit) never submit and are
    appraised as drafts after the due day. `appraised` {unit: (c1.1, c1.2, c2.1)};
    `contest` (points accepted on 1.2 for A) makes A's head contest 1.2."""
    campaign = services.open_campaign(
        w.dost_admin,
        owner=w.p,
        year=year,
        criteria_set=make_set(w.p, year),
        self_assessment_due=d(year, 10, 15),
        appraisal_due=d(year, 11, 15),
        today=d(year, 9, 1),
    )
    items = {a.unit_id: a for a in Assessment.objects.filter(campaign=campaign)}

    def crit(a, code):
        return a.scores.get(criterion__code=code).criterion_id

    a = items[w.a.pk]
    services.save_self_scores(
        w.a_secretary,
        a,
        {crit(a, c): {"points": Decimal(40 if c == "1.1" else 30), "comment": ""} for c in CODES},
        today=d(year, 9, 10),
    )
    services.submit_self_assessment(w.a_head, a, today=d(year, 10, 1))
    for unit, values in appraised.items():
        item = items[unit.pk]
        services.save_appraisal(
            w.dost_officer,
            item,
            {
                crit(item, c): {"points": Decimal(p), "reason": "Theo hồ sơ kiểm tra"}
                for c, p in zip(CODES, values, strict=True)
            },
            today=d(year, 10, 20),
        )
        services.release_appraisal(w.dost_officer, item, today=d(year, 10, 20))
    if contest is not None:
        a.refresh_from_db()
        services.contest(
            w.a_head,
            a,
            reason="Điểm tiêu chí 1.2 chưa phản ánh hồ sơ",
            items={crit(a, "1.2"): "Đã có biên bản xem xét của lãnh đạo"},
            today=d(year, 10, 22),
        )
        services.decide_contest(
            w.dost_officer,
            a,
            {crit(a, "1.2"): {"accept": True, "points": Decimal(contest), "reason": "Chấp nhận"}},
            today=d(year, 11, 1),
        )
    services.finalize_uncontested(campaign, today=d(year, 11, 30))
    services.close_campaign(w.dost_admin, campaign, today=d(year, 12, 1))
    return campaign


CODES = ("1.1", "1.2", "2.1")


def test_the_dashboard_prints_what_the_campaign_services_decided(world, en):
    w = world
    # 2025: A 92 excellent, DoST 85 good, B 70 fair.
    run_campaign(w, 2025, {w.a: (40, 30, 22), w.dost: (35, 25, 25), w.b: (30, 20, 20)})
    # 2026: A appraised 86 (1.2 cut to 21), contests and gets 28 back: 93 excellent;
    # B 93 excellent (a tie with A), DoST 81 good.
    run_campaign(w, 2026, {w.a: (40, 21, 25), w.b: (40, 28, 25), w.dost: (35, 26, 20)}, contest=28)
    a = Assessment.objects.get(campaign__year=2026, unit=w.a)
    assert (a.appraised_total, a.final_total, a.band, a.rank) == (
        Decimal("86.00"),
        Decimal("93.00"),
        "excellent",
        1,
    )
    en.force_login(w.dost_officer)
    page = en.get(URL, {"year": 2026}).content.decode()
    # 2 of 3 is 66,7 %, 1 of 3 was 33,3 %: +33,4 points (from the printed shares).
    assert "excellent 2/3 (66,7 %), +33,4 percentage points, +1" in page
    assert "good 1/3 (33,3 %), 0,0 percentage points, 0" in page
    assert "fair 0/3 (0,0 %), −33,3 percentage points, −1" in page
    table = page.split('id="ranking-table"')[1].split("</table>")[0]
    rows = table.split('class="ranking-row"')[1:]
    ranks = [r.split('rank">')[1].split("<")[0] for r in rows]
    assert ranks == ["1", "1", "3"]  # A and B tie at 93
    assert ">93<" in rows[0] and ">93<" in rows[1] and w.dost.name in rows[2]
    assert reverse("assessment_detail", args=[w.a.pk, a.pk]) in table
    # B and the DoST unit never submitted their self-assessment.
    data = dashboard.dashboard(w.dost_officer, 2026, today=d(2026, 12, 5))
    behind = {o.key: {r.unit.pk for r in o.rows} for o in data.obligations}
    assert behind["self_assessment"] == {w.b.pk, w.dost.pk}
    # The agency's trend: two years, the contested year's final total.
    en.force_login(w.a_head)
    page = en.get(reverse("agency_assessment_trend", args=[w.a.pk])).content.decode()
    rows = page.split('class="trend-row"')[1:]
    assert len(rows) == 2 and ">92<" in rows[0] and ">86<" in rows[1] and ">93<" in rows[1]
    assert '1<span class="text-muted">/3</span>' in rows[1]

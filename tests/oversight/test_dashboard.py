"""The DoST's assessment dashboard and an agency's trend: figures, changes, ranking,
obligations, exports and who sees what. Assessments are built directly here; the
campaign built through the assessments services is in test_dashboard_campaign.py."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from govqms.assessments import figures
from govqms.assessments.models import Assessment, Campaign, CriteriaSet
from govqms.organizations.models import UnitKind
from govqms.oversight import dashboard
from tests.factories import make_unit
from tests.oversight import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("assessment_dashboard")


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def make_campaign(w, year, results, *, status=Campaign.Status.CLOSED, due=None):
    """A campaign of province P with one assessment per (unit, total, band, rank);
    a total of None leaves the assessment a submitted draft (no final result)."""
    criteria = CriteriaSet.objects.create(
        owner=w.p, year=year, title=f"Bộ tiêu chí {year}", status=CriteriaSet.Status.PUBLISHED
    )
    campaign = Campaign.objects.create(
        owner=w.p,
        year=year,
        title=f"Đánh giá duy trì ISO năm {year}",
        criteria_set=criteria,
        status=status,
        reference_date=dt.date(year, 1, 1),
        self_assessment_due=due or dt.date(year, 10, 31),
        appraisal_due=dt.date(year, 11, 30),
    )
    for unit, total, band, rank in results:
        final = total is not None
        Assessment.objects.create(
            campaign=campaign,
            unit=unit,
            status=Assessment.Status.FINAL if final else Assessment.Status.DRAFT,
            self_total=(Decimal(total) + 2) if final else None,
            appraised_total=Decimal(total) if final else None,
            final_total=Decimal(total) if final else None,
            band=band if final else "",
            rank=rank,
            submitted_at=timezone.make_aware(dt.datetime(year, 10, 1, 10)) if final else None,
        )
    return campaign


def agencies(w, n, prefix="X", kind=UnitKind.COMMUNE_PC, parent=None):
    return [
        make_unit(
            f"P-{prefix}{i:03}", f"Ủy ban nhân dân xã Thử {prefix}{i:03}", kind, parent or w.p
        )
        for i in range(n)
    ]


def body(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------- figures


def test_change_reads_like_the_press_report():
    now = ["excellent"] * 52 + ["good"] * 51 + ["fair"] * 58 + ["average"] * 5
    before = ["excellent"] * 34 + ["good"] * 60 + ["fair"] * 62 + ["weak"] * 10
    excellent, good, fair, average, weak = figures.band_figures(now, before)
    with translation.override("en"):
        assert dashboard.change_text(excellent) == (
            "excellent 52/166 (31,3 %), +10,8 percentage points, +18"
        )
        assert dashboard.change_text(good) == "good 51/166 (30,7 %), −5,4 percentage points, −9"
        # 58/166 = 34.94 %: rounded half up to one decimal, with a comma.
        assert dashboard.change_text(fair).startswith("fair 58/166 (34,9 %), −2,4 percentage")
        assert dashboard.change_text(weak) == "weak 0/166 (0,0 %), −6,0 percentage points, −10"
    # Without a previous year, the band line alone.
    (first, *_rest) = figures.band_figures(now)
    with translation.override("en"):
        assert dashboard.change_text(first) == "excellent 52/166 (31,3 %)"


def test_the_page_shows_counts_shares_and_changes_with_a_decimal_comma(world, en):
    w = world
    old = agencies(w, 8, "O")
    new = agencies(w, 16, "N")
    make_campaign(
        w,
        2021,
        [(u, 95, "excellent", 1) for u in old[:3]] + [(u, 70, "fair", 4) for u in old[3:]],
    )
    # 1 of 16 is 6.25 %: half up gives 6,3 (not the banker's 6,2).
    make_campaign(
        w,
        2022,
        [(new[0], 92, "excellent", 1)]
        + [(u, 85, "good", 2) for u in new[1:9]]
        + [(u, 60, "average", 10) for u in new[9:]],
    )
    en.force_login(w.dost_officer)
    page = body(en.get(URL, {"year": 2022}))
    assert "excellent 1/16 (6,3 %), −31,2 percentage points, −2" in page
    assert "good 8/16 (50,0 %), +50,0 percentage points, +8" in page
    assert "fair 0/16 (0,0 %), −62,5 percentage points, −5" in page
    assert 'id="band-excellent" data-count="1"' in page
    # The default language is Vietnamese: the same figures, still with a comma.
    en.cookies["django_language"] = "vi"
    page = body(en.get(URL, {"year": 2022}))
    assert "1/16 (6,3 %)" in page and "−31,2" in page and "6.3 %" not in page
    # The year before has no previous campaign: no change is printed.
    en.cookies["django_language"] = "en"
    page = body(en.get(URL, {"year": 2021}))
    assert "excellent 3/8 (37,5 %)" in page and "percentage points" not in page


def test_default_year_is_the_latest_campaign_and_the_switcher_lists_years(world, en):
    make_campaign(world, 2021, [(world.a, 91, "excellent", 1)])
    make_campaign(world, 2022, [(world.b, 81, "good", 1)])
    en.force_login(world.dost_officer)
    page = body(en.get(URL))
    assert "Yearly assessment of the agencies · 2022" in page
    assert '<option value="2021">2021</option>' in page
    assert 'value="2022" selected' in page


def test_empty_states(world, en):
    en.force_login(world.dost_officer)
    page = body(en.get(URL, {"year": 2030}))
    assert 'id="dashboard-empty"' in page and "No assessment campaign was opened for 2030" in page
    assert 'id="ranking-table"' not in page
    make_campaign(world, 2030, [(world.a, None, "", None), (world.b, None, "", None)])
    page = body(en.get(URL, {"year": 2030}))
    assert "No final result yet: the campaign's 2 assessments are still in progress" in page


# ---------------------------------------------------------------- ranking


def test_ranking_ties_share_a_rank_with_links_and_filters(world, en):
    w = world
    district = make_unit("P-D", "Ủy ban nhân dân huyện Tiên Du", UnitKind.DISTRICT_PC, w.p)
    office = make_unit("P-D-TP", "Phòng Tư pháp huyện Tiên Du", UnitKind.DISTRICT_OFFICE, district)
    make_campaign(
        w,
        2022,
        [
            (w.a, 92, "excellent", 1),
            (office, 92, "excellent", 1),
            (w.b, 84, "good", 3),
        ],
    )
    en.force_login(w.dost_officer)
    page = body(en.get(URL, {"year": 2022}))
    rows = page.split("</table>")[0].split('class="ranking-row"')[1:]
    assert len(rows) == 3
    ranks = [r.split('class="text-end fw-semibold rank">')[1].split("<")[0] for r in rows]
    assert ranks == ["1", "1", "3"]
    assert reverse("agency_oversight", args=[w.b.pk]) in page
    assert reverse("agency_assessment_trend", args=[w.b.pk]) in page
    (row,) = [r for r in rows if office.name in r]
    assert "Ủy ban nhân dân huyện Tiên Du" in row and "District specialised office" in row
    # Search folds accents; kind and band filter.
    page = body(en.get(URL, {"year": 2022, "q": "dong phong"}))
    assert (
        w.a.name in page
        and w.b.name not in page.split('id="ranking-table"')[1].split("</table>")[0]
    )
    table = body(en.get(URL, {"year": 2022, "kind": UnitKind.DISTRICT_OFFICE})).split(
        'id="ranking-table"'
    )[1]
    assert office.name in table and w.a.name not in table.split("</table>")[0]
    table = body(en.get(URL, {"year": 2022, "band": "good"})).split('id="ranking-table"')[1]
    assert w.b.name in table and w.a.name not in table.split("</table>")[0]


def test_ranking_is_paginated(world, en):
    units = agencies(world, 55)
    make_campaign(world, 2022, [(u, 90 - i * 0.5, "good", i + 1) for i, u in enumerate(units)])
    en.force_login(world.dost_officer)
    page = body(en.get(URL, {"year": 2022}))
    assert page.count('class="ranking-row"') == 50 and "Page 1 of 2" in page
    page = body(en.get(URL, {"year": 2022, "page": 2}))
    assert page.count('class="ranking-row"') == 5 and units[54].name in page


def test_distribution_by_kind_and_by_parent(world):
    w = world
    district = make_unit("P-D", "Ủy ban nhân dân huyện Tiên Du", UnitKind.DISTRICT_PC, w.p)
    offices = agencies(w, 3, "T", UnitKind.DISTRICT_OFFICE, district)
    make_campaign(
        w,
        2022,
        [
            (w.a, 95, "excellent", 1),
            (w.b, 70, "fair", 5),
            (offices[0], 93, "excellent", 2),
            (offices[1], 85, "good", 3),
            (offices[2], 84, "good", 4),
        ],
    )
    data = dashboard.dashboard(w.dost_officer, 2022)
    kinds = {b.key: b.counts for b in data.by_kind}
    assert kinds[UnitKind.COMMUNE_PC] == {"excellent": 1, "fair": 1}
    assert kinds[UnitKind.DISTRICT_OFFICE] == {"excellent": 1, "good": 2}
    parents = {b.label: b.ordered for b in data.by_parent}
    assert parents[district.name] == [1, 2, 0, 0, 0]
    assert parents[w.p.name] == [1, 0, 1, 0, 0]
    chart = data.stacked_chart(data.by_parent)
    assert chart["categories"][0] == district.name and chart["series"][1]["data"][0] == 2


# ---------------------------------------------------------------- obligations


def test_agencies_behind_on_each_obligation(world, en):
    from govqms.documents.models import LegalDocument, UpdateTask
    from tests.documents.factories import make_procedure

    w = world
    year = 2022
    f.audit_plan(w.a, w.a_head, year=year)
    f.audit_plan(w.b, w.b_secretary, year=year - 1)  # last year's audit does not count
    f.review(w.a, held_on=dt.date(year, 3, 5))
    doc = make_procedure(w.b, code="QT-09")
    law = LegalDocument.objects.create(number="118/2025/NĐ-CP", title="Nghị định một cửa")
    UpdateTask.objects.create(
        document=doc, legal_document=law, reason="Thay thế", due=dt.date(2022, 2, 1)
    )
    campaign = make_campaign(
        w, year, [(w.a, 91, "excellent", 1), (w.b, None, "", None)], status=Campaign.Status.OPEN
    )
    data = dashboard.dashboard(w.dost_officer, year, today=dt.date(2022, 11, 15))
    behind = {o.key: {r.unit.pk: r.detail for r in o.rows} for o in data.obligations}
    assert w.b.pk in behind["no_audit"] and w.a.pk not in behind["no_audit"]
    assert w.b.pk in behind["no_review"] and w.a.pk not in behind["no_review"]
    assert behind["legal_overdue"] == {
        w.b.pk: "1 open past their 3 months, the oldest due 01/02/2022"
    }
    assert behind["self_assessment"] == {w.b.pk: "Not submitted (due 31/10/2022)"}
    # Before the due day a draft is not behind; a late submission is.
    data = dashboard.dashboard(w.dost_officer, year, today=dt.date(2022, 10, 1))
    assert {o.key: o.count for o in data.obligations}["self_assessment"] == 0
    # ... but once the DoST appraised it without a submission, it is missing.
    Assessment.objects.filter(campaign=campaign, unit=w.b).update(
        status=Assessment.Status.APPRAISED
    )
    data = dashboard.dashboard(w.dost_officer, year, today=dt.date(2022, 10, 1))
    assert {o.key: o.count for o in data.obligations}["self_assessment"] == 1
    late = Assessment.objects.get(campaign=campaign, unit=w.a)
    late.submitted_at = timezone.make_aware(dt.datetime(2022, 11, 3, 10))
    late.save()
    data = dashboard.dashboard(w.dost_officer, year, today=dt.date(2022, 11, 15))
    behind = {o.key: {r.unit.pk: r.detail for r in o.rows} for o in data.obligations}
    assert behind["self_assessment"][w.a.pk] == "Submitted on 03/11/2022, due 31/10/2022"
    # On the page, each agency links to its record.
    en.force_login(w.dost_officer)
    page = body(en.get(URL, {"year": year}))
    section = page.split('id="obligations"')[1]
    assert 'id="obligation-legal_overdue" data-count="1"' in section
    legal = section.split('id="obligation-legal_overdue"')[1].split('class="col-')[0]
    assert w.b.name in legal and reverse("update_task_list", args=[w.b.pk]) in legal
    assert reverse("agency_oversight", args=[w.b.pk]) in legal


def test_the_page_does_not_grow_in_queries_with_the_agencies(
    world, en, django_assert_max_num_queries
):
    """~200 agencies render in a bounded number of queries: 20 agencies take no more
    queries than 5."""
    w = world
    en.force_login(w.dost_officer)

    def build(n, year, prefix):
        units = agencies(w, n, prefix)
        for i, u in enumerate(units):
            if i % 2:
                f.audit_plan(u, w.a_head, year=year)
            else:
                f.review(u, held_on=dt.date(year, 2, 1))
        make_campaign(w, year - 1, [(u, 80 + i % 15, "good", i + 1) for i, u in enumerate(units)])
        make_campaign(
            w,
            year,
            [
                (u, 75 + i % 20, "excellent" if i % 3 else "fair", i + 1)
                for i, u in enumerate(units)
            ],
        )

    build(5, 2022, "S")
    en.get(URL, {"year": 2022})  # warm the caches (sessions, content types)
    with django_assert_max_num_queries(30) as few:
        assert "excellent" in body(en.get(URL, {"year": 2022}))
    build(20, 2024, "L")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = body(en.get(URL, {"year": 2024}))
    assert page.count('class="ranking-row"') == 20


# ---------------------------------------------------------------- exports


def test_each_chart_exports_its_figures(world, en):
    make_campaign(world, 2021, [(world.a, 95, "excellent", 1), (world.b, 70, "fair", 2)])
    make_campaign(world, 2022, [(world.a, 95, "excellent", 1), (world.b, 93, "excellent", 2)])
    en.force_login(world.dost_officer)
    response = en.get(URL, {"year": 2022, "export": "bands", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1:8] == ["2", "2", "100.0", "1", "50.0", "50.0", "1"]
    for table in ("kinds", "parents", "ranking", "behind"):
        response = en.get(URL, {"year": 2022, "export": table, "format": "xlsx"})
        assert response.status_code == 200 and response.content[:2] == b"PK", table
    response = en.get(URL, {"year": 2022, "export": "ranking", "format": "csv"})
    assert world.a.name in response.content.decode("utf-8-sig")
    assert en.get(URL, {"year": 2022, "export": "nothing"}).status_code == 404
    page = body(en.get(URL, {"year": 2022}))
    assert "saveAsImage" in page and page.count("export=") >= 10


# ---------------------------------------------------------------- who sees what


def test_agency_users_may_not_open_the_dashboard(world, client):
    make_campaign(world, 2022, [(world.a, 95, "excellent", 1), (world.b, 81, "good", 2)])
    for user in (world.a_head, world.a_secretary, world.b_secretary):
        client.force_login(user)
        response = client.get(URL, {"year": 2022})
        assert response.status_code == 403
        assert world.b.name not in response.content.decode()
    client.logout()
    assert client.get(URL).status_code == 302


def test_an_officer_of_another_province_sees_nothing_of_this_one(world, en):
    make_campaign(world, 2022, [(world.a, 95, "excellent", 1), (world.b, 81, "good", 2)])
    en.force_login(world.q_officer)
    page = body(en.get(URL, {"year": 2022}))
    assert "No assessment campaign was opened for 2022" in page
    assert world.a.name not in page and world.b.name not in page
    assert world.c.name in page  # its own agency, behind on its obligations
    for table in ("ranking", "behind", "bands"):
        content = en.get(URL, {"year": 2022, "export": table}).content.decode("utf-8-sig")
        assert world.a.name not in content and world.b.name not in content
    # The province's own officer and administrator see it.
    for user in (world.dost_officer, world.dost_admin):
        en.force_login(user)
        page = body(en.get(URL, {"year": 2022}))
        assert world.b.name in page and world.c.name not in page


# ---------------------------------------------------------------- an agency's trend


def test_an_agency_trend_for_its_members_and_overseers(world, en):
    w = world
    make_campaign(w, 2021, [(w.a, 78, "fair", 2), (w.b, 91, "excellent", 1)])
    make_campaign(w, 2022, [(w.a, 93.5, "excellent", 1), (w.b, 88, "good", 2)])
    make_campaign(
        w, 2023, [(w.a, None, "", None), (w.b, None, "", None)], status=Campaign.Status.OPEN
    )
    url = reverse("agency_assessment_trend", args=[w.a.pk])
    for user in (w.a_staff, w.a_head, w.dost_officer):
        en.force_login(user)
        page = body(en.get(url))
        rows = page.split('class="trend-row"')[1:]
        assert [r.split('data-year="')[1][:4] for r in rows] == ["2021", "2022", "2023"]
        assert ">78<" in rows[0] and "Fair" in rows[0] and "2<span" in rows[0]
        assert ">93.5<" in rows[1] and "Excellent" in rows[1]
        assert "Self-assessment in progress" in rows[2]
        # Nothing of another agency's result.
        assert w.b.name not in page and ">91<" not in page
    en.cookies["django_language"] = "vi"
    assert ">93,5<" in body(en.get(url))
    chart = dashboard.trend_chart(dashboard.agency_trend(w.dost_officer, w.a))
    assert chart["final"] == [78.0, 93.5, None] and chart["self"][:2] == [80.0, 95.5]
    assert chart["ranks"] == [2, 1, None]
    response = en.get(url, {"export": "trend", "format": "csv"})
    assert "93.5" in response.content.decode("utf-8-sig")


def test_an_agency_trend_is_hidden_from_other_agencies_and_provinces(world, client):
    make_campaign(world, 2022, [(world.a, 93, "excellent", 1), (world.b, 88, "good", 2)])
    url = reverse("agency_assessment_trend", args=[world.a.pk])
    for user in (world.b_secretary, world.c_secretary, world.q_officer):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_an_agency_that_never_took_part(world, en):
    en.force_login(world.a_head)
    page = body(en.get(reverse("agency_assessment_trend", args=[world.a.pk])))
    assert 'id="trend-empty"' in page


def test_exports_of_an_agency_whose_code_has_a_slash_download_with_a_safe_name(world, en):
    """An XLSX sheet name may not hold "/" (xlsxwriter refuses it) nor may a file name."""
    w = world
    w.a.code = "UBND/ĐP[1]"
    w.a.save(update_fields=["code"])
    make_campaign(w, 2022, [(w.a, 93, "excellent", 1)])
    en.force_login(w.dost_officer)
    url = reverse("agency_assessment_trend", args=[w.a.pk])
    for fmt in ("xlsx", "csv"):
        response = en.get(url, {"export": "trend", "format": fmt})
        assert response.status_code == 200, fmt
        disposition = response["Content-Disposition"]
        assert f'filename="danh-gia-UBND-DP-1-trend.{fmt}"' in disposition, disposition

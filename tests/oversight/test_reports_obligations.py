"""The dashboard and the provincial reports count the agencies behind on their
obligations with one definition: a draft self-assessment before its due day is not
missing, after it it is (or once the DoST went on without it)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from govqms.assessments.models import Assessment, Campaign, CriteriaSet
from govqms.oversight import dashboard
from govqms.oversight import provincial_reports as P

pytestmark = pytest.mark.django_db

DUE = dt.date(2022, 10, 15)


def open_campaign_with_a_draft(w):
    """A's self-assessment submitted on time, B's still a draft."""
    cset = CriteriaSet.objects.create(
        owner=w.p, year=2022, title="Bộ tiêu chí 2022", status=CriteriaSet.Status.PUBLISHED
    )
    campaign = Campaign.objects.create(
        owner=w.p,
        year=2022,
        title="Đánh giá 2022",
        criteria_set=cset,
        status=Campaign.Status.OPEN,
        reference_date=dt.date(2022, 9, 1),
        self_assessment_due=DUE,
        appraisal_due=dt.date(2022, 11, 10),
    )
    Assessment.objects.create(
        campaign=campaign,
        unit=w.a,
        status=Assessment.Status.SUBMITTED,
        self_total=Decimal(90),
        submitted_at=timezone.make_aware(dt.datetime(2022, 10, 1, 10)),
    )
    draft = Assessment.objects.create(campaign=campaign, unit=w.b)
    return campaign, draft


def missing(w, today):
    report = P.year_data(w.dost_officer, 2022, owner=w.p, today=today).obligations
    board = dashboard.dashboard(w.dost_officer, 2022, today=today).obligations
    (self_assessment,) = [o for o in board if o.key == dashboard.SELF_ASSESSMENT]
    return {u.pk for u in report.not_submitted}, {r.unit.pk for r in self_assessment.rows}


def test_a_draft_is_missing_only_after_its_due_day_in_the_report_and_the_dashboard(world):
    w = world
    _campaign, draft = open_campaign_with_a_draft(w)
    assert missing(w, DUE) == (set(), set())
    assert missing(w, DUE + dt.timedelta(days=1)) == ({w.b.pk}, {w.b.pk})
    # The DoST appraised the draft before the due day: it will never be submitted.
    Assessment.objects.filter(pk=draft.pk).update(status=Assessment.Status.APPRAISED)
    assert missing(w, DUE - dt.timedelta(days=5)) == ({w.b.pk}, {w.b.pk})


def test_legal_updates_overdue_count_the_same_in_the_report_and_the_dashboard(world):
    from govqms.documents.models import LegalDocument, UpdateTask
    from tests.documents.factories import make_procedure

    w = world
    open_campaign_with_a_draft(w)
    law = LegalDocument.objects.create(number="118/2025/NĐ-CP", title="Nghị định một cửa")
    UpdateTask.objects.create(
        document=make_procedure(w.a, code="QT-01"),
        legal_document=law,
        reason="Thay thế",
        due=dt.date(2023, 1, 20),  # overdue now, but not in 2022
    )
    UpdateTask.objects.create(
        document=make_procedure(w.b, code="QT-02"),
        legal_document=law,
        reason="Thay thế",
        due=dt.date(2022, 6, 1),
    )
    today = dt.date(2023, 3, 1)
    report = P.year_data(w.dost_officer, 2022, owner=w.p, today=today).obligations
    board = dashboard.dashboard(w.dost_officer, 2022, today=today).obligations
    (legal,) = [o for o in board if o.key == dashboard.LEGAL_OVERDUE]
    assert [u.pk for u in report.legal_overdue] == [r.unit.pk for r in legal.rows] == [w.b.pk]


def test_a_year_without_campaign_or_inspection_plan_is_reported(world, client):
    """2023 has neither a campaign nor an inspection plan; 2024 only a plan."""
    import io

    import openpyxl
    from django.urls import reverse

    from govqms.inspections.models import Inspection, InspectionPlan
    from govqms.oversight import report_layout as L
    from tests.oversight.test_reports import docx_text, issue

    w = world
    plan = InspectionPlan.objects.create(owner=w.p, year=2024, title="Kế hoạch kiểm tra 2024")
    Inspection.objects.create(plan=plan, unit=w.a, mode=Inspection.Mode.ON_SITE)
    client.force_login(w.dost_officer)
    client.cookies["django_language"] = "en"
    for year in (2023, 2024):
        page = client.get(reverse("oversight_reports"), {"year": year})
        assert page.status_code == 200, year
        assert f"No assessment campaign is recorded for {year}." in page.content.decode()
        docx = client.get(
            reverse("oversight_report_preview"), {"year": year, "format": "docx"}
        ).content
        word = docx_text(docx)
        assert f"Năm {year}, chưa có đợt đánh giá" in word
        assert "Chưa có kết quả đánh giá, xếp loại." in word
        pdf = client.get(reverse("oversight_report_preview"), {"year": year, "format": "pdf"})
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        xlsx = client.get(reverse("oversight_report_par"), {"year": year, "format": "xlsx"})
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet.max_row == 4  # the title lines and the header, no agency
        api = client.get(reverse("api-oversight-report-results"), {"year": year}).json()
        assert api["campaign"] is None and api["results"] == []
    data = P.year_data(w.dost_officer, 2023, owner=w.p)
    text = L.render_html(P.official(data, w.p, P.defaults(w.p, "dost_to_province", 2023)))
    assert "Năm 2023, chưa có kế hoạch kiểm tra" in text
    data = P.year_data(w.dost_officer, 2024, owner=w.p)
    text = L.render_html(P.official(data, w.p, P.defaults(w.p, "dost_to_province", 2024)))
    assert "Theo Kế hoạch kiểm tra năm 2024" in text
    report = issue(w, year=2023, issued_on=dt.date(2023, 11, 25))
    assert report.summary["agencies"] == 0 and report.summary["band_line"] == ""


def test_the_report_pages_do_not_grow_in_queries_with_the_agencies(
    world, client, django_assert_max_num_queries
):
    """~200 agencies in a bounded number of queries: 30 agencies take no more queries
    than 3 on the reports page, the draft, the PAR spreadsheet and the API."""
    from django.urls import reverse

    from tests.oversight.test_reports_support import agencies, closed_campaign

    w = world
    client.force_login(w.dost_officer)
    pages = [
        (reverse("oversight_reports"), {}),
        (reverse("oversight_report_preview"), {}),
        (reverse("oversight_report_par"), {}),
        (reverse("oversight_report_par"), {"format": "xlsx"}),
        (reverse("api-oversight-report-results"), {}),
    ]

    def build(year, n, prefix):
        units = agencies(w.p, n, prefix=prefix)
        bands = ["excellent", "good", "fair", "average", "weak"]
        closed_campaign(w.p, year - 1, [(u, bands[i % 5]) for i, u in enumerate(units)])
        closed_campaign(w.p, year, [(u, bands[(i + 1) % 5]) for i, u in enumerate(units)])

    build(2021, 3, "S")
    counts = []
    for url, params in pages:
        client.get(url, {"year": 2021, **params})  # warm the caches
        with django_assert_max_num_queries(40) as few:
            assert client.get(url, {"year": 2021, **params}).status_code == 200
        counts.append(len(few.captured_queries))
    build(2024, 30, "L")
    for (url, params), count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url, {"year": 2024, **params}).status_code == 200


def test_an_unchanged_count_is_written_without_a_sign_as_on_the_dashboard(world):
    from govqms.oversight import report_layout as L
    from tests.oversight.test_reports_support import closed_campaign

    w = world
    closed_campaign(w.p, 2022, [(w.a, "excellent"), (w.b, "good")])
    closed_campaign(w.p, 2021, [(w.a, "excellent"), (w.b, "fair")])
    data = P.year_data(w.dost_officer, 2022, owner=w.p)
    changes = {row["band"]: row["change"] for row in data.band_rows}
    assert changes["excellent"] == "0,0 (0)" and changes["good"] == "+50,0 (+1)"
    assert changes["weak"] == "0,0 (0)"
    html = L.render_html(P.official(data, w.p, P.defaults(w.p, "dost_to_province", 2022)))
    assert "0,0 điểm % (0)" in html and "(+0)" not in html


def test_the_dashboard_and_the_report_print_the_same_shares_before_every_result_is_final(
    world,
):
    """An agency still awaiting its result counts in the whole, in no band, on both."""
    from tests.oversight.test_reports_support import closed_campaign

    w = world
    closed_campaign(w.p, 2021, [(w.a, "good"), (w.b, "good")])
    closed_campaign(w.p, 2022, [(w.a, "excellent")], not_final=[w.b])
    report = P.year_data(w.dost_officer, 2022, owner=w.p)
    board = dashboard.dashboard(w.dost_officer, 2022)
    assert report.band_line == "xuất sắc 1/2 (50,0 %)"
    shares = [(f.count, f.whole, f.share, f.change_points) for f in board.figures]
    assert shares == [(f.count, f.whole, f.share, f.change_points) for f in report.figures]
    assert board.figures[0].text.endswith("1/2 (50,0 %)")

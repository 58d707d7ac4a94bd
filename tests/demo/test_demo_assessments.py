"""The demo's assessment campaigns on a small province shaped like the demo's: a former
root with 166 agencies in 2021 and 2022 (160 ended before the merger of 1 July 2025, 6
moved under the new root by it), the DoST's staff carried over to the new root, which
owns every campaign; the 2021 and 2022 campaigns reproduce the press report's figures,
and this year's campaign is half way through its appraisal. Loaded once for the module
(rolled back at the end): the tests share it and only read."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import translation

from govqms.assessments import figures, selectors
from govqms.assessments.models import Assessment, Campaign, CriteriaSet, Score
from govqms.core.models import AuditEntry, Notification
from govqms.demo import assessments as demo
from govqms.organizations import selectors as org
from govqms.organizations import services
from govqms.organizations.models import Membership, Role, Unit, UnitKind, User
from tests.factories import make_unit, make_user

pytestmark = pytest.mark.django_db

REFORM = dt.date(2025, 7, 1)
EVE = dt.date(2025, 6, 30)
TODAY = dt.date(2026, 11, 27)  # a Friday


def build_province():
    bn = make_unit(
        "BN", "Ủy ban nhân dân tỉnh Bắc Ninh", UnitKind.PROVINCIAL_PC, in_dost_remit=False
    )
    bg = make_unit(
        "BG",
        "Ủy ban nhân dân tỉnh Bắc Giang",
        UnitKind.PROVINCIAL_PC,
        province="Bắc Giang",
        in_dost_remit=False,
    )
    make_unit("BG-X", "Ủy ban nhân dân xã Bắc Giang", parent=bg, province="Bắc Giang")
    ended = [
        make_unit(f"BN-X{n:03d}", f"Ủy ban nhân dân xã Thử {n:03d}", parent=bn, valid_to=EVE)
        for n in range(160)
    ]
    lasting = [
        make_unit(f"BN-V{n}", f"Cơ quan ngành dọc {n}", UnitKind.VERTICAL_AGENCY, parent=bn)
        for n in range(6)
    ]
    head = make_user("head", "Nguyễn Văn Trưởng")
    secretary = make_user("secretary", "Trần Thị Thư")
    for unit in ended + lasting:
        for user, role in ((head, Role.HEAD), (secretary, Role.ISO_SECRETARY)):
            services.add_membership(None, user=user, unit=unit, role=role, valid_from=bn.valid_from)
    admin = make_user("dost.admin", "Ngô Thị Thu Hà", bn, Role.DOST_ADMIN)
    officer = make_user("dost.officer", "Phạm Minh Đức", bn, Role.DOST_OFFICER)
    services.merge_units(
        None,
        [bn, bg],
        date=REFORM,
        legal_basis="Nghị quyết 202/2025/QH15",
        into={
            "code": "BN25",
            "name": "Ủy ban nhân dân tỉnh Bắc Ninh",
            "kind": UnitKind.PROVINCIAL_PC,
            "province": "Bắc Ninh",
            "in_dost_remit": False,
            "parent": None,
        },
    )
    bn.refresh_from_db()
    new = Unit.objects.get(code="BN25")
    profiles = {u.pk: demo_profile(n) for n, u in enumerate(ended + lasting)}
    return bn, new, admin, officer, ended + lasting, profiles


def demo_profile(n: int) -> str:
    return "exemplary" if n % 16 == 0 else "formalistic" if n % 16 == 1 else "ordinary"


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            bn, new, admin, officer, units, profiles = build_province()
            counts = demo.load_demo_assessments(root=new, today=TODAY, profiles=profiles)
            yield bn, new, admin, officer, units, profiles, counts
            transaction.set_rollback(True)


def campaign(owner, year):
    return Campaign.objects.get(owner=owner, year=year)


def bands(owner, year):
    return list(
        Assessment.objects.filter(campaign=campaign(owner, year)).values_list("band", flat=True)
    )


def test_the_2022_figures_of_the_press_report(province):
    _bn, new, *_rest = province
    c22 = campaign(new, 2022)
    assert c22.status == Campaign.Status.CLOSED
    assert c22.assessments.count() == 166
    assert set(c22.assessments.values_list("status", flat=True)) == {"final"}
    assert Counter(bands(new, 2022)) == {
        "excellent": 52,
        "good": 51,
        "fair": 58,
        "average": 4,
        "weak": 1,
    }
    with translation.override("vi"):
        line = figures.band_line(figures.band_figures(bands(new, 2022), bands(new, 2021)))
    assert line == (
        "xuất sắc 52/166 (31,3 %), tốt 51/166 (30,7 %), khá 58/166 (34,9 %), "
        "trung bình 4/166 (2,4 %), yếu 1/166 (0,6 %)"
    )


def test_excellent_rose_by_18_agencies_and_10_8_points_on_2021(province):
    _bn, new, *_rest = province
    c21 = campaign(new, 2021)
    assert c21.status == Campaign.Status.CLOSED and c21.assessments.count() == 166
    assert Counter(bands(new, 2021)) == {
        "excellent": 34,
        "good": 58,
        "fair": 62,
        "average": 10,
        "weak": 2,
    }
    excellent = figures.band_figures(bands(new, 2022), bands(new, 2021))[0]
    assert excellent.band == "excellent"
    assert excellent.change_count == 18
    assert figures.signed(excellent.change_points) == "+10,8"


def test_totals_bands_and_ranks_come_from_the_scores(province):
    _bn, new, *_rest = province
    rows = list(Assessment.objects.filter(campaign=campaign(new, 2022)).prefetch_related("scores"))
    for a in rows:
        assert a.final_total == sum(s.final_points for s in a.scores.all())
        assert all(s.final_points % Decimal("0.5") == 0 for s in a.scores.all())
    best = max(rows, key=lambda a: a.final_total)
    assert best.rank == 1 and best.band == "excellent" and best.final_total < 100
    assert max(a.rank for a in rows) <= 166


def test_the_profiles_of_the_improvement_demo_show(province):
    _bn, new, _a, _o, units, profiles, _c = province
    band = dict(
        Assessment.objects.filter(campaign=campaign(new, 2022)).values_list("unit_id", "band")
    )
    exemplary = [u.pk for u in units if profiles[u.pk] == "exemplary"]
    formalistic = [u.pk for u in units if profiles[u.pk] == "formalistic"]
    assert {band[pk] for pk in exemplary} <= {"excellent", "good"}
    assert {band[pk] for pk in formalistic} <= {"fair", "average", "weak"}


def test_the_stages_went_through_the_services_on_their_days(province):
    _bn, new, admin, officer, *_rest = province
    c22 = campaign(new, 2022)
    scores = Score.objects.filter(assessment__campaign=c22)
    # The DoST changed some scores, each with a reason; some contests were accepted,
    # some rejected, each with its reason.
    changed = scores.exclude(appraised_points=None).exclude(appraisal_reason="")
    assert changed.count() > 100
    assert all(s.appraised_points != s.self_points for s in changed)
    assert scores.filter(contest_outcome="accepted").exclude(decision_reason="").exists()
    assert scores.filter(contest_outcome="rejected").exclude(decision_reason="").exists()
    for a in c22.assessments.exclude(decided_at=None):
        assert a.contested_at <= a.decided_at and a.decided_by is not None
    # Stamps and the audit trail carry the days of 2022, by the people of 2022.
    a = c22.assessments.select_related("submitted_by", "appraised_by").first()
    assert a.submitted_at.year == a.appraised_at.year == a.finalized_at.year == 2022
    assert a.submitted_by.username == "head"
    assert a.appraised_by in (admin, officer)
    assert c22.opened_by == admin
    opened = AuditEntry.objects.get(action="campaign_open", object_id=str(c22.pk))
    closed = AuditEntry.objects.get(action="campaign_close", object_id=str(c22.pk))
    assert opened.at.year == closed.at.year == 2022 and opened.actor == admin
    # The sets: 2021 scored by hand, 2022 its copy, this year's with the automatic rules.
    sets = list(CriteriaSet.objects.filter(owner=new).order_by("year"))
    assert [(s.year, s.status) for s in sets] == [
        (2021, "published"),
        (2022, "published"),
        (TODAY.year, "published"),
    ]
    assert sets[1].copied_from == sets[0] and sets[0].published_at.year == 2021
    assert not sets[1].criteria.exclude(rule="").exists()
    assert sets[2].criteria.exclude(rule="").exists()
    # Notifications of those years are read; this year's are not.
    old = Notification.objects.filter(created_at__year__lte=2022)
    assert old.exists() and not old.filter(read_at=None).exists()
    assert Notification.objects.filter(created_at__year=TODAY.year, read_at=None).exists()


def test_the_dost_officer_of_today_sees_every_year(province):
    bn, new, admin, officer, *_rest = province
    officer = User.objects.get(pk=officer.pk)
    assert org.oversight_roots(officer) == [new]
    visible = {(c.owner_id, c.year) for c in selectors.visible_campaigns(officer)}
    assert visible == {(new.pk, 2021), (new.pk, 2022), (new.pk, TODAY.year)}
    c22 = campaign(new, 2022)
    assert selectors.campaign_assessments(officer, c22).count() == 166
    # Nobody keeps a role on the former root after the merger.
    assert not Membership.objects.active_on(TODAY).filter(unit=bn).exists()
    assert [u.code for u in org.oversight_roots(User.objects.get(pk=admin.pk))] == ["BN25"]
    # The agencies' people are not overseers: no campaign as such.
    assert not selectors.visible_campaigns(User.objects.get(username="head")).exists()


def test_this_years_campaign_is_half_way(province):
    _bn, new, *_rest = province
    current = campaign(new, TODAY.year)
    assert current.status == Campaign.Status.OPEN
    statuses = Counter(current.assessments.values_list("status", flat=True))
    # The six agencies that lived on.
    assert sum(statuses.values()) == 6
    assert statuses["submitted"] >= 1 and statuses["appraised"] >= 1
    assert statuses["final"] == 0
    proposed = Score.objects.filter(assessment__campaign=current).exclude(proposed_points=None)
    assert proposed.exists()


def snapshot():
    return [
        m.objects.count()
        for m in (Campaign, Assessment, Score, CriteriaSet, Membership, Notification, AuditEntry)
    ]


def test_loading_again_changes_nothing(province):
    _bn, new, *_rest, counts = province
    assert counts["loaded"] and counts["campaigns"] == 3
    before = snapshot()
    again = demo.load_demo_assessments(root=new, today=TODAY)
    assert not again["loaded"]
    assert snapshot() == before

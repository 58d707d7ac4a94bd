"""The demo's yearly assessments (issue 6, item 10): the 2021 and 2022 campaigns of
Bắc Ninh's 166 agencies, replayed through the campaign services, and this year's
campaign, half way through its appraisal.

    load_demo_assessments(stdout=None, full=False)   # `govqms load_demo` calls it

2022 reproduces the provincial press report of December 2022: excellent 52 (31,3 %),
good 51 (30,7 %), fair 58 (34,9 %), average 4 and weak 1, of 166; 2021 had 34
excellent agencies (20,5 %), so excellent rose by 10,8 percentage points (+18
agencies; the press wrote "up 11 %"). Every record goes through the services,
replayed day by day (`today=` is given to every call, and a simulated clock shows the
day of the step, see `_Clock`), by the people who held the roles on that day: the
DoST administrator publishes the criteria and opens and closes the campaign, each
agency's ISO secretary scores and its head submits, a DoST officer appraises (and
changes a few scores, with a reason), a few heads contest and the DoST decides (some
accepted, some rejected); the daily sweep finalizes the rest.

Each agency's final total is chosen first (seeded), so the bands come out exactly,
the agencies of the improvement demo's exemplary profile among the best and the
formalistic ones among the fair and average (through each 2022 agency's successor
today); the total is then spread over the criteria (half points, never above a
criterion's maximum), and the self-assessment and the appraisal are built around it.

Ownership after the 1 July 2025 merger: every criteria set and campaign, 2021 and
2022 included, belongs to today's provincial root (BN25, the unit of the DoST's
oversight memberships, carried over from the former root BN on 1 July 2025), so the
DoST reads the province's whole history through its one membership. The campaign
services take a province root's participants from the agencies of its province
active on the reference date: the 2022 campaign gets the 166 agencies of 2022 (the
merger moved the survivors under BN25; the others ended on 30 June 2025). The DoST
staff who act in the replay are today's staff of the root who held their role on the
province's root on the day (dost.* first).

The sets: 2021 is the default scheme with every criterion scored by hand (the
agencies did not keep their records in govqms yet, so its rules are removed before
publication); 2022 is copied from 2021 with `copy_set`. This year's set is the
default scheme again, not a copy of 2022: the copy would carry 2022's hand-scored
criteria, and this year's campaign needs the scheme's auto-scoring rules (creating
the default set is one call, restoring the rules on a copy would be one per
criterion). Most agencies submitted this year, some are appraised (the Sở Tư pháp of
so.* released the working day before, its contest window open), two contested and
awaiting the DoST's decision, and some are still drafts (Phường Kinh Bắc of xa.* with
the auto-scored proposals prefilled and two criteria scored by its secretary).

Deterministic (seeded) and idempotent: a campaign already there for the root and a
year is left as it is."""

from __future__ import annotations

import datetime as dt
import random
import time
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from govqms.assessments import criteria as criteria_services
from govqms.assessments import default_criteria
from govqms.assessments import services as campaigns
from govqms.assessments.models import Assessment, Band, Campaign, CriteriaSet
from govqms.core import notifications
from govqms.core.calendar import LOCAL
from govqms.core.models import Notification
from govqms.organizations import selectors as org
from govqms.organizations.models import ChangeKind, Membership, Role, Unit, UnitChange, User

SEED = 2022
HALF = Decimal("0.5")
PAST_YEARS = (2021, 2022)
DOST_ROLES = (Role.DOST_ADMIN, Role.DOST_OFFICER)
# Final bands of the two past years (the press report of December 2022 and its
# "excellent up 11 %" on 2021), best first.
TARGETS = {
    2021: {Band.EXCELLENT: 34, Band.GOOD: 58, Band.FAIR: 62, Band.AVERAGE: 10, Band.WEAK: 2},
    2022: {Band.EXCELLENT: 52, Band.GOOD: 51, Band.FAIR: 58, Band.AVERAGE: 4, Band.WEAK: 1},
}
TOP_TOTAL = Decimal("98.5")
BOTTOM_TOTAL = Decimal("42")

DEMO_SECRETARIES = {"so": "so.secretary", "xa": "xa.secretary", "xa2": "xa2.secretary"}
# Where the demo accounts' agencies stand in each past year.
DEMO_BANDS = {
    2021: {"so": Band.EXCELLENT, "xa": Band.FAIR, "xa2": Band.FAIR},
    2022: {"so": Band.EXCELLENT, "xa": Band.GOOD, "xa2": Band.FAIR},
}

# Why the DoST lowered a score, by criteria group.
LOWERED = {
    "1": "Hồ sơ minh chứng chưa đầy đủ: quyết định ban hành và danh mục tài liệu chưa "
    "cập nhật theo các TTHC mới công bố.",
    "2": "Kiểm tra xác suất hồ sơ: một số hồ sơ giải quyết TTHC thiếu phiếu kiểm soát "
    "quá trình, mục tiêu chưa được theo dõi đủ các kỳ.",
    "3": "Báo cáo đánh giá nội bộ và biên bản xem xét của lãnh đạo chưa nêu kết quả "
    "cụ thể, chưa có quyết định cải tiến.",
    "4": "Một số văn bản quy phạm pháp luật mới chưa được cập nhật vào quy trình đúng "
    "hạn; hành động khắc phục chưa đánh giá hiệu lực.",
    "5": "Chưa có minh chứng về sáng kiến cải tiến và việc ứng dụng công nghệ thông tin "
    "được áp dụng trong năm.",
}


def lowered_reason(criterion) -> str:
    return LOWERED.get(criterion.group.code, LOWERED["2"])


RAISED = "Cơ quan tự chấm thấp hơn minh chứng đã nộp: hồ sơ đáp ứng đầy đủ yêu cầu."
CONTEST_REASON = "Cơ quan đề nghị xem xét lại điểm thẩm định, kèm minh chứng bổ sung."
CONTEST_GROUNDS = (
    "Cơ quan đã thực hiện đầy đủ nội dung này trong năm; gửi kèm biên bản, báo cáo và "
    "quyết định liên quan mà đoàn thẩm định chưa xem xét."
)
ACCEPTED = "Chấp nhận: minh chứng bổ sung đáp ứng yêu cầu của tiêu chí."
REJECTED = (
    "Không chấp nhận: minh chứng bổ sung được lập sau thời điểm thẩm định, không chứng "
    "minh việc thực hiện trong năm đánh giá."
)
COMMENT_FULL = "Đã thực hiện đầy đủ; minh chứng lưu tại bộ phận ISO của cơ quan."
COMMENT_PART = "Đã thực hiện một phần; cơ quan tiếp tục hoàn thiện trong năm sau."


# ---------------------------------------------------------------- the simulated clock


class _Clock:
    """While running, `django.utils.timezone.now` returns the moment of the replayed
    step.

    The services date their own stamps from `today=`, but three things still read the
    clock, so the replay cannot do without it: the permission checks read the roles
    held on `timezone.localdate()` (the heads and secretaries of 2021 and 2022 lost
    theirs when most of their agencies ended with the merger, so as of today they could
    not act on their agencies' assessments); the audit trail takes each entry's time
    from `timezone.now()` (and chains the entries by hash, so the times cannot be
    corrected afterwards); and notifications, their reading and a criteria set's
    publication are stamped with it."""

    def __init__(self):
        self.now = timezone.now()

    def at(self, day: dt.date, hour: int = 10, minute: int = 0) -> dt.date:
        moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LOCAL)
        self.now = moment.astimezone(dt.UTC)
        return day

    def reset(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    @contextmanager
    def running(self):
        with mock.patch("django.utils.timezone.now", lambda: self.now):
            yield


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


# ---------------------------------------------------------------- the people


class _Staff:
    """Today's DoST staff of the root: they act for it in every year of the replay.

    Their oversight is resolved once, on the real day and before the clock runs
    (`organizations.selectors` keeps a user's roots on the user object): the records
    they replay belong to today's root, where their role is today; in 2021 and 2022 it
    was on the former root, and was carried over on 1 July 2025. (Were the roots not
    kept, the services would refuse the DoST's steps on 2021 and 2022 days with
    PermissionDenied: tests/demo would fail, nothing would load half way.)"""

    def __init__(self, root: Unit, today: dt.date):
        self.root = root
        self.rows = list(
            Membership.objects.active_on(today)
            .filter(unit=root, role__in=DOST_ROLES)
            .select_related("user")
            .order_by("pk")
        )
        for m in self.rows:
            org.oversight_roots(m.user)
            org.admin_roots(m.user)

    def on(self, day: dt.date):
        """(administrator, [officers]) for `day`: those who held their role on the
        province's root then (all of today's staff if none did); dost.* first."""
        then = set(
            Membership.objects.active_on(day)
            .filter(
                role__in=DOST_ROLES, unit__parent__isnull=True, unit__province=self.root.province
            )
            .values_list("user_id", "role")
        )
        rows = sorted(self.rows, key=lambda m: (not m.user.username.startswith("dost."), m.pk))
        held = [m for m in rows if (m.user_id, m.role) in then]
        admins = [m.user for m in held if m.role == Role.DOST_ADMIN] or [
            m.user for m in rows if m.role == Role.DOST_ADMIN
        ]
        officers = [m.user for m in held if m.role == Role.DOST_OFFICER] or [
            m.user for m in rows if m.role == Role.DOST_OFFICER
        ]
        admin = admins[0] if admins else None
        return admin, officers or ([admin] if admin else [])


def successors_today(units) -> dict[int, int]:
    """{unit id: the id of the unit it lives on in today} (itself if still active)."""
    merged = {}
    for change in UnitChange.objects.filter(kind=ChangeKind.MERGE).prefetch_related(
        "from_units", "to_units"
    ):
        targets = list(change.to_units.all())
        for source in change.from_units.all():
            if targets and targets[0].pk != source.pk:
                merged[source.pk] = targets[0].pk
    out = {}
    for unit in units:
        pk, seen = unit.pk, set()
        while pk in merged and pk not in seen:
            seen.add(pk)
            pk = merged[pk]
        out[unit.pk] = pk
    return out


def _roles_on(units, day: dt.date) -> dict[int, dict[str, object]]:
    """{unit id: {role: user}} of heads and ISO secretaries on `day` (one query)."""
    out: dict[int, dict[str, object]] = {}
    for m in (
        Membership.objects.active_on(day)
        .filter(unit__in=[u.pk for u in units], role__in=[Role.HEAD, Role.ISO_SECRETARY])
        .select_related("user")
        .order_by("pk")
    ):
        out.setdefault(m.unit_id, {}).setdefault(m.role, m.user)
    return out


def _demo_units_on(day: dt.date) -> dict[str, int]:
    """{"so"/"xa"/"xa2": unit id} of the demo accounts' agencies on `day`."""
    rows = (
        Membership.objects.active_on(day)
        .filter(user__username__in=list(DEMO_SECRETARIES.values()), role=Role.ISO_SECRETARY)
        .values_list("user__username", "unit_id")
    )
    names = {v: k for k, v in DEMO_SECRETARIES.items()}
    return {names[username]: unit_id for username, unit_id in rows}


def current_profiles(full: bool, today: dt.date) -> dict[int, str]:
    """The improvement demo's profiles of today's agencies ({} when it is not loaded)."""
    from govqms.demo import improvement

    if not improvement.is_loaded():
        return {}
    return improvement.assign_profiles(improvement.choose_units(full), today)


# ---------------------------------------------------------------- choosing the totals


def band_ranges(criteria_set: CriteriaSet) -> dict[str, tuple[Decimal, Decimal]]:
    """{band: (lowest, highest total)} in half points, from the set's bands."""
    bands = sorted(campaigns.bands_of(criteria_set), key=lambda b: b[1], reverse=True)
    total = sum((c.max_points for c in criteria_set.criteria.all()), Decimal(0))
    out, upper = {}, min(TOP_TOTAL, total)
    for band, minimum in bands:
        low = max(minimum, BOTTOM_TOTAL) if band == bands[-1][0] else minimum
        out[band] = (Decimal(low), Decimal(upper))
        upper = minimum - HALF
    return out


def _half(value: float) -> Decimal:
    return (Decimal(str(value)) / HALF).quantize(Decimal(1)) * HALF


def choose_totals(
    units, year: int, criteria_set: CriteriaSet, profiles: dict[int, str], fixed: dict
) -> dict[int, Decimal]:
    """{unit id: final total} giving exactly TARGETS[year]: the better the profile, the
    higher (with seeded noise); `fixed` {unit id: band} places the demo agencies."""
    rng = random.Random(f"{SEED}:order:{year}")
    weight = {"exemplary": 0.0, "ordinary": 1.0, "formalistic": 2.2}
    keys = {}
    for unit in sorted(units, key=lambda u: u.code):
        base = weight.get(profiles.get(unit.pk), 1.0)
        keys[unit.pk] = base + rng.random() * 1.6
    order = sorted(keys, key=lambda pk: (keys[pk], pk))
    targets = TARGETS[year]
    if sum(targets.values()) != len(order):
        raise ValueError(
            f"{year}: {len(order)} agencies take part, the figures are for {sum(targets.values())}."
        )
    slots, start = {}, 0
    for band, count in targets.items():
        slots[band] = order[start : start + count]
        start += count
    for pk, band in fixed.items():
        if pk not in keys or pk in slots[band]:
            continue
        current = next(b for b, pks in slots.items() if pk in pks)
        free = [p for p in slots[band] if p not in fixed]
        other = free[len(free) // 2]
        slots[band][slots[band].index(other)] = pk
        slots[current][slots[current].index(pk)] = other
    ranges = band_ranges(criteria_set)
    totals = {}
    for band, pks in slots.items():
        low, high = ranges[band]
        n = len(pks)
        for index, pk in enumerate(pks):
            spot = float(high) - (float(high - low) * index / max(n - 1, 1))
            value = _half(spot + rng.uniform(-0.75, 0.75))
            totals[pk] = min(max(value, low), high)
    return totals


def spread(total: Decimal, criteria, rng: random.Random) -> dict[int, Decimal]:
    """{criterion id: points} adding up to `total`, half points, within each maximum;
    the points lost fall more often on the weightier criteria."""
    points = {c.pk: c.max_points for c in criteria}
    missing = sum(points.values(), Decimal(0)) - total
    weights = {c.pk: float(c.max_points) * rng.uniform(0.3, 1.7) for c in criteria}
    while missing > 0:
        room = [pk for pk in points if points[pk] >= HALF]
        pk = rng.choices(room, [weights[p] for p in room])[0]
        points[pk] -= HALF
        missing -= HALF
    return points


# ---------------------------------------------------------------- one past year


class _Plan:
    """What happens to one agency in a past year: final, self and appraised points,
    and its contest."""

    def __init__(self, unit, final, criteria, rng, *, top: bool):
        self.unit = unit
        self.final = final
        self.self_points = dict(final)
        self.appraised = dict(final)
        self.reasons: dict[int, str] = {}
        self.contest: dict[int, bool] = {}  # {criterion id: accepted}
        by_pk = {c.pk: c for c in criteria}
        n_changes = rng.choice([0, 1, 1, 2] if top else [1, 1, 2, 2, 3, 4])
        open_ones = [c for c in criteria if final[c.pk] < c.max_points]
        for criterion in rng.sample(open_ones, min(n_changes, len(open_ones))):
            room = criterion.max_points - final[criterion.pk]
            self.self_points[criterion.pk] = final[criterion.pk] + min(
                room, HALF * rng.choice([1, 2, 2, 3, 4])
            )
            self.reasons[criterion.pk] = lowered_reason(criterion)
        if rng.random() < 0.12:  # the agency under-scored itself once
            full = [c for c in criteria if final[c.pk] >= 1 and c.pk not in self.reasons]
            if full:
                c = rng.choice(full)
                self.self_points[c.pk] = final[c.pk] - HALF * rng.choice([1, 2])
                self.reasons[c.pk] = RAISED
        self.by_pk = by_pk

    def plan_contest(self, accepted: bool, rng) -> bool:
        lowered = [pk for pk, r in self.reasons.items() if r != RAISED]
        if not lowered:
            return False
        pk = rng.choice(lowered)
        if accepted:  # the DoST had cut deeper; the decision gives the points back
            cut = min(self.final[pk], HALF * rng.choice([2, 3, 4]))
            if cut <= 0:
                return False
            self.appraised[pk] = self.final[pk] - cut
        self.contest[pk] = accepted
        return True


def _open(admin, root, year, criteria_set, clock, opened, due, appraisal_due):
    """Open `year`'s campaign of `root` at 08:30 on `opened`, as the DoST names it."""
    clock.at(opened, 8, 30)
    return campaigns.open_campaign(
        admin,
        owner=root,
        year=year,
        criteria_set=criteria_set,
        title=f"Đánh giá việc duy trì, áp dụng HTQLCL theo TCVN ISO 9001:2015 năm {year}",
        reference_date=opened,
        self_assessment_due=due,
        appraisal_due=appraisal_due,
        contest_working_days=5,
        today=opened,
    )


def _past_year(root, year, criteria_set, clock, counts, staff, *, profiles, demo_bands):
    """Replay `year`'s campaign of `root` from its opening to its closing;
    `profiles` {unit id today: profile}."""
    rng = random.Random(f"{SEED}:year:{year}")
    opened = _weekday(dt.date(year, 9, 6))
    due = dt.date(year, 10, 15)
    appraisal_due = dt.date(year, 11, 19)
    admin, officers = staff.on(opened)
    campaign = _open(admin, root, year, criteria_set, clock, opened, due, appraisal_due)
    rows = list(
        Assessment.objects.filter(campaign=campaign).select_related("unit").order_by("unit__code")
    )
    units = [a.unit for a in rows]
    criteria = list(criteria_set.criteria.select_related("group").order_by("pk"))
    demo = _demo_units_on(opened)
    fixed = {demo[k]: band for k, band in demo_bands.items() if k in demo}
    successor = successors_today(units)
    year_profiles = {pk: profiles.get(now) for pk, now in successor.items()}
    totals = choose_totals(units, year, criteria_set, year_profiles, fixed)
    people = _roles_on(units, opened)
    plans = {}
    excellent = band_ranges(criteria_set)[Band.EXCELLENT][0]
    top = {pk for pk, t in totals.items() if t >= excellent}
    for a in rows:
        final = spread(totals[a.unit_id], criteria, rng)
        plans[a.pk] = _Plan(a.unit, final, criteria, rng, top=a.unit_id in top)
    # A few contests (by heads): about one agency in twelve, a third of them accepted.
    contested = []
    for pk in sorted(plans):
        has_head = people.get(plans[pk].unit.pk, {}).get(Role.HEAD) is not None
        if has_head and rng.random() < 0.085:
            if plans[pk].plan_contest(len(contested) % 3 == 0, rng):
                contested.append(pk)

    # 1. Self-assessment and submission, in the order the agencies did them.
    self_days = {a.pk: _weekday(opened + dt.timedelta(days=rng.randint(7, 36))) for a in rows}
    for a in sorted(rows, key=lambda a: (self_days[a.pk], a.pk)):
        plan, roles = plans[a.pk], people.get(a.unit_id, {})
        editor = roles.get(Role.ISO_SECRETARY) or roles.get(Role.HEAD)
        if editor is None:
            continue  # nobody to self-assess: the DoST appraises the draft after the due date
        day = min(self_days[a.pk], due)
        clock.at(day, 9, rng.randint(0, 59))
        entries = {
            pk: {
                "points": points,
                "comment": COMMENT_FULL if points >= plan.by_pk[pk].max_points else COMMENT_PART,
            }
            for pk, points in plan.self_points.items()
        }
        campaigns.save_self_scores(editor, a, entries, today=day)
        counts["scores"] += len(entries)
        if roles.get(Role.HEAD) is not None:
            clock.at(day, 15, rng.randint(0, 59))
            campaigns.submit_self_assessment(roles[Role.HEAD], a, today=day)
            counts["submitted"] += 1

    # 2. Appraisal, released to each agency.
    appraise_days = {
        a.pk: min(_weekday(due + dt.timedelta(days=rng.randint(3, 30))), appraisal_due)
        for a in rows
    }
    released = {}
    for index, a in enumerate(sorted(rows, key=lambda a: (appraise_days[a.pk], a.pk))):
        plan, day = plans[a.pk], appraise_days[a.pk]
        officer = officers[index % len(officers)]
        clock.at(day, 9, rng.randint(0, 59))
        entries = {
            pk: {"points": points, "reason": plan.reasons.get(pk, "")}
            for pk, points in plan.appraised.items()
        }
        campaigns.save_appraisal(officer, a, entries, today=day)
        clock.at(day, 16, rng.randint(0, 59))
        released[a.pk] = campaigns.release_appraisal(officer, a, today=day)
        counts["changed by the DoST"] += len(plan.reasons)

    # 3. Contests by the heads, decided by the DoST.
    for pk in contested:
        a, plan = released[pk], plans[pk]
        head = people[a.unit_id][Role.HEAD]
        day = min(_weekday(appraise_days[pk] + dt.timedelta(days=2)), a.contest_due)
        clock.at(day, 14)
        campaigns.contest(
            head,
            a,
            reason=CONTEST_REASON,
            items={c: CONTEST_GROUNDS for c in plan.contest},
            today=day,
        )
        decided = _weekday(day + dt.timedelta(days=5))
        clock.at(decided, 10, 30)
        campaigns.decide_contest(
            officers[0],
            a,
            {
                c: {
                    "accept": accepted,
                    "points": plan.final[c] if accepted else None,
                    "reason": ACCEPTED if accepted else REJECTED,
                }
                for c, accepted in plan.contest.items()
            },
            today=decided,
        )
        counts["contests"] += 1
        counts["contests accepted"] += int(any(plan.contest.values()))

    # 4. The daily sweep finalizes the others; the administrator closes the campaign.
    sweep = dt.date(year, 12, 1)
    clock.at(sweep, 0, 5)
    campaigns.finalize_uncontested(campaign, today=sweep)
    closed = _weekday(dt.date(year, 12, 8))
    clock.at(closed, 10)
    campaigns.close_campaign(admin, campaign, today=closed)
    # Those years' notifications were read long ago.
    _mark_read_between(campaign.opened_at, closed, clock)
    counts["assessments"] += len(rows)
    return campaign


def _mark_read_between(since, day, clock):
    """The notifications of a past campaign (from `since` to the end of `day`) are read."""
    until = clock.at(day, 23, 59) and clock.now
    by_user: dict[int, list[int]] = {}
    for pk, user_id in Notification.objects.filter(
        created_at__gte=since, created_at__lte=until, read_at__isnull=True
    ).values_list("pk", "user_id"):
        by_user.setdefault(user_id, []).append(pk)
    for user in User.objects.filter(pk__in=list(by_user)):
        notifications.mark_read(user, by_user[user.pk])


# ---------------------------------------------------------------- criteria sets


SET_TITLE = "Bộ tiêu chí đánh giá việc duy trì, áp dụng HTQLCL năm {year}"


def _published_sets(root, clock, staff):
    """The 2021 set (the default scheme, every criterion scored by hand: the agencies
    did not keep their records in govqms yet) and the 2022 set, copied from 2021;
    both published."""
    sets = {}
    for year in PAST_YEARS:
        existing = CriteriaSet.objects.filter(owner=root, year=year).first()
        if existing is not None:
            sets[year] = existing
            continue
        day = _weekday(dt.date(year, 2, 18))
        admin, _officers = staff.on(day)
        clock.at(day, 9)
        title = SET_TITLE.format(year=year)
        if year - 1 in sets:
            cs = criteria_services.copy_set(admin, sets[year - 1], year, title=title)
        else:
            cs = default_criteria.create_default_set(admin, owner=root, year=year, title=title)
            for c in cs.criteria.select_related("group").exclude(rule=""):
                criteria_services.save_criterion(
                    admin,
                    cs,
                    criterion=c,
                    group=c.group,
                    code=c.code,
                    text=c.text,
                    guidance=c.guidance,
                    evidence_expected=c.evidence_expected,
                    max_points=c.max_points,
                    rule="",
                    rule_params={},
                    order=c.order,
                )
        clock.at(_weekday(dt.date(year, 3, 3)), 14)
        sets[year] = criteria_services.publish_set(admin, cs)
    return sets


def _current_set(root, year, day, clock, staff):
    """This year's set: the default scheme with its auto-scored criteria, published."""
    existing = CriteriaSet.objects.filter(owner=root, year=year).first()
    if existing is not None:
        return existing
    admin, _officers = staff.on(day)
    clock.at(day, 9)
    cs = default_criteria.create_default_set(
        admin, owner=root, year=year, title=SET_TITLE.format(year=year)
    )
    clock.at(day + dt.timedelta(days=4), 14)
    return criteria_services.publish_set(admin, cs)


# ---------------------------------------------------------------- this year


def _this_year(root, year, criteria_set, today, clock, counts, staff, *, profiles):
    rng = random.Random(f"{SEED}:current:{year}")
    opened = _weekday(max(dt.date(year, 1, 5), today - dt.timedelta(days=60)))
    due = max(opened + dt.timedelta(days=21), today - dt.timedelta(days=14))
    admin, officers = staff.on(today)
    campaign = _open(
        admin, root, year, criteria_set, clock, opened, due, today + dt.timedelta(days=21)
    )
    rows = list(
        Assessment.objects.filter(campaign=campaign).select_related("unit").order_by("unit__code")
    )
    criteria = list(criteria_set.criteria.select_related("group").order_by("pk"))
    people = _roles_on([a.unit for a in rows], today)
    demo = _demo_units_on(today)
    share = {"exemplary": (0.9, 1.0), "ordinary": (0.72, 0.92), "formalistic": (0.78, 0.95)}

    drafts = {a.pk for a in rows if rng.random() < 0.12 and a.unit_id != demo.get("so")}
    drafts |= {a.pk for a in rows if a.unit_id == demo.get("xa")}
    submitted = [a for a in rows if a.pk not in drafts]
    days = {
        a.pk: min(_weekday(opened + dt.timedelta(days=rng.randint(10, 40))), due) for a in submitted
    }
    for a in sorted(submitted, key=lambda a: (days[a.pk], a.pk)):
        roles = people.get(a.unit_id, {})
        editor, head = roles.get(Role.ISO_SECRETARY) or roles.get(Role.HEAD), roles.get(Role.HEAD)
        if editor is None or head is None:
            drafts.add(a.pk)
            continue
        low, high = share.get(profiles.get(a.unit_id), (0.75, 0.95))
        scores = {s.criterion_id: s for s in a.scores.all()}
        entries = {}
        for c in criteria:
            if scores[c.pk].self_points is not None and c.rule:
                continue  # the rule's proposal stays as prefilled
            points = _half(float(c.max_points) * rng.uniform(low, high))
            entries[c.pk] = {
                "points": min(points, c.max_points),
                "comment": COMMENT_FULL if points >= c.max_points else COMMENT_PART,
            }
        day = days[a.pk]
        clock.at(day, 9, rng.randint(0, 59))
        campaigns.save_self_scores(editor, a, entries, today=day)
        clock.at(day, 15, rng.randint(0, 59))
        campaigns.submit_self_assessment(head, a, today=day)
        counts["submitted"] += 1

    # The DoST is half way: the agencies that submitted first are appraised and
    # released these last days (the Sở Tư pháp yesterday: its window to contest is open).
    submitted = [a for a in submitted if a.pk not in drafts]
    submitted.sort(key=lambda a: (days[a.pk], a.pk))
    to_appraise = submitted[: int(len(submitted) * 0.35)]
    so = next((a for a in submitted if a.unit_id == demo.get("so")), None)
    if so is not None and so not in to_appraise:
        to_appraise.append(so)
    yesterday = today - dt.timedelta(days=1)
    while yesterday.weekday() >= 5:
        yesterday -= dt.timedelta(days=1)
    released = []
    for index, a in enumerate(to_appraise):
        day = yesterday if a is so else _weekday(today - dt.timedelta(days=rng.randint(2, 5)))
        day = min(day, today)
        officer = officers[index % len(officers)]
        a.refresh_from_db()
        entries = {}
        changes = rng.sample(criteria, rng.choice([0, 1, 2, 3]))
        for s in a.scores.all():
            c = next(c for c in criteria if c.pk == s.criterion_id)
            points, reason = s.self_points, ""
            if c in changes and points and points >= 1:
                points, reason = points - HALF * rng.choice([1, 2]), lowered_reason(c)
            entries[s.criterion_id] = {"points": points, "reason": reason}
        clock.at(day, 9, rng.randint(0, 59))
        campaigns.save_appraisal(officer, a, entries, today=day)
        clock.at(day, 16, rng.randint(0, 59))
        released.append((campaigns.release_appraisal(officer, a, today=day), day, changes))
        counts["appraised"] += 1
    # Two heads contested a lowered score; the DoST has still to decide.
    so_unit = demo.get("so")
    candidates = [r for r in released if r[0].unit_id != so_unit and r[2]]
    for a, day, changes in candidates[: min(2, len(released) // 5)]:
        head = people.get(a.unit_id, {}).get(Role.HEAD)
        if head is None or day >= today:
            continue
        clock.at(today, 9)
        campaigns.contest(
            head,
            a,
            reason=CONTEST_REASON,
            items={changes[0].pk: CONTEST_GROUNDS},
            today=today,
        )
        counts["contests"] += 1
    # The drafts: Phường Kinh Bắc's secretary has scored two criteria so far.
    xa = next((a for a in rows if a.unit_id == demo.get("xa")), None)
    secretary = people.get(demo.get("xa"), {}).get(Role.ISO_SECRETARY)
    if xa is not None and secretary is not None:
        manual = [c for c in criteria if not c.rule][:2]
        clock.at(_weekday(today - dt.timedelta(days=3)), 10)
        campaigns.save_self_scores(
            secretary,
            xa,
            {c.pk: {"points": c.max_points - HALF, "comment": COMMENT_PART} for c in manual},
            today=today,
        )
    counts["drafts"] += len(drafts)
    counts["assessments"] += len(rows)
    return campaign


# ---------------------------------------------------------------- entry point


def demo_root() -> Unit | None:
    """Today's root of the demo DoST's oversight (BN25): the unit of dost.admin's
    administrator membership, else the unit coded BN25."""
    from govqms.demo.province import NEW

    membership = (
        Membership.objects.active_on()
        .filter(user__username="dost.admin", role=Role.DOST_ADMIN)
        .select_related("unit")
        .order_by("pk")
        .first()
    )
    return membership.unit if membership else Unit.objects.filter(code=NEW).first()


def is_loaded(root: Unit | None = None, year: int | None = None) -> bool:
    """Whether the 2022 campaign (and this year's, given `year`) of `root` is there."""
    qs = Campaign.objects.all() if root is None else Campaign.objects.filter(owner=root)
    return qs.filter(year=2022).exists() and (year is None or qs.filter(year=year).exists())


def load_demo_assessments(
    stdout=None,
    full: bool = False,
    *,
    root: Unit | None = None,
    today: dt.date | None = None,
    profiles: dict | None = None,
) -> dict:
    """Load the 2021 and 2022 campaigns and this year's (idempotent). By default the
    root is today's root of the demo DoST (BN25); `profiles` {unit id today: profile}
    overrides the improvement demo's."""
    today = today or timezone.localdate()
    root = root or demo_root()
    if root is None:
        return {"loaded": False, "reason": "no demo province"}
    if is_loaded(root, today.year):
        return {"loaded": False}
    started, cpu = time.perf_counter(), time.process_time()
    counts = dict.fromkeys(
        [
            "campaigns",
            "assessments",
            "scores",
            "submitted",
            "changed by the DoST",
            "contests",
            "contests accepted",
            "appraised",
            "drafts",
        ],
        0,
    )
    if profiles is None:
        profiles = current_profiles(full, today)
    clock = _Clock()
    staff = _Staff(root, today)  # before the clock runs: their roles of today
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
        clock.running(),
    ):
        sets = _published_sets(root, clock, staff)
        for year in PAST_YEARS:
            if not Campaign.objects.filter(owner=root, year=year).exists():
                _past_year(
                    root,
                    year,
                    sets[year],
                    clock,
                    counts,
                    staff,
                    profiles=profiles,
                    demo_bands=DEMO_BANDS[year],
                )
                counts["campaigns"] += 1
        year = today.year
        if year not in PAST_YEARS and not Campaign.objects.filter(owner=root, year=year).exists():
            set_day = _weekday(max(dt.date(year, 1, 2), today - dt.timedelta(days=75)))
            cs = _current_set(root, year, set_day, clock, staff)
            _this_year(root, year, cs, today, clock, counts, staff, profiles=profiles)
            counts["campaigns"] += 1
        clock.reset()
    counts["seconds"] = round(time.perf_counter() - started, 1)
    counts["cpu seconds"] = round(time.process_time() - cpu, 1)
    counts["loaded"] = True
    if stdout is not None:
        stdout.write(
            f"Assessments loaded in {counts['seconds']:.1f} s "
            f"({counts['cpu seconds']:.1f} s CPU):\n"
        )
        for key, value in counts.items():
            if key not in ("loaded", "seconds", "cpu seconds"):
                stdout.write(f"  {key:<32} {value:>6}\n")
    return counts


__all__ = [
    "TARGETS",
    "band_ranges",
    "choose_totals",
    "demo_root",
    "is_loaded",
    "load_demo_assessments",
    "spread",
    "successors_today",
]

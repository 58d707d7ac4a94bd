"""The risk proposal of a yearly inspection plan: which agencies to inspect on site.

Each agency gets a score, the sum of the weights of the risk factors it shows, and
the reasons behind it. The factors (weights below, points out of about 100):

- its last final rating (the latest earlier campaign of the same owner): weak or
  average counts high, fair medium;
- formalism signals of the year before (oversight.signals: audits without findings,
  copied checklists, implausibly short audits, ...), by severity;
- overdue items: nonconformities open past their due date and corrective actions
  overdue (improvement app);
- never inspected on site (no earlier on-site inspection of the agency);
- its conformity announcement needs re-announcing (scope changed, merger), or it
  never announced.

A reason is stored as {"key", "points", "params"} and turned into text when shown
(`reason_text`), so it reads in the reader's language. Everything is computed in
batch: a handful of queries for all the agencies of a province, never one per agency.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Weights of the factors (points added to the score).
BAND_WEIGHTS = {"weak": 40, "average": 30, "fair": 15}
SIGNAL_WEIGHTS = {"high": 15, "medium": 10, "low": 5}
SIGNALS_CAP = 30
OVERDUE_PER_ITEM = 5
OVERDUE_CAP = 20
NEVER_ON_SITE = 20
ANNOUNCEMENT_NEEDED = 15
NEVER_ANNOUNCED = 15


def on_site_minimum(total: int, share) -> int:
    """How many of `total` agencies must be inspected on site. The share is read as
    the nearest simple fraction (0.334 is "one third", Circular 26/2014), so that
    3 agencies need 1 and 166 need 56."""
    if total <= 0:
        return 0
    fraction = Fraction(Decimal(str(share))).limit_denominator(100)
    return min(total, math.ceil(fraction * total))


@dataclass
class Risk:
    unit_id: int
    score: int = 0
    reasons: list = field(default_factory=list)

    def add(self, key: str, points: int, **params) -> None:
        if points <= 0:
            return
        self.score += points
        self.reasons.append({"key": key, "points": points, "params": params})


def reason_text(reason: dict) -> str:
    """A stored reason as a sentence in the active language."""
    key = reason.get("key", "")
    params = reason.get("params") or {}
    if key == "band":
        from govqms.assessments.models import Band

        label = str(dict(Band.choices).get(params.get("band"), params.get("band", "")))
        return _("Rated %(band)s in %(year)s") % {"band": label, "year": params.get("year", "")}
    if key == "signals":
        titles = ", ".join(params.get("titles", []))
        return ngettext(
            "%(count)d formalism signal in %(year)s: %(titles)s",
            "%(count)d formalism signals in %(year)s: %(titles)s",
            params.get("count", 0),
        ) % {"count": params.get("count", 0), "year": params.get("year", ""), "titles": titles}
    if key == "overdue":
        return _(
            "Overdue items: %(ncs)d nonconformities past due, %(actions)d corrective "
            "actions overdue"
        ) % {"ncs": params.get("ncs", 0), "actions": params.get("actions", 0)}
    if key == "never_on_site":
        return _("Never inspected on site")
    if key == "announcement_needed":
        return _("Conformity announcement needs re-announcing")
    if key == "never_announced":
        return _("Conformity never announced")
    return key


def reasons_text(reasons) -> list[str]:
    return [f"{reason_text(r)} (+{r.get('points', 0)})" for r in reasons or []]


def _last_bands(owner, unit_ids, year: int) -> tuple[int | None, dict[int, str]]:
    from govqms.assessments.models import Assessment, Campaign

    campaign = (
        Campaign.objects.filter(owner=owner, year__lt=year).order_by("-year").only("year").first()
    )
    if campaign is None:
        return None, {}
    rows = Assessment.objects.filter(
        campaign=campaign, unit_id__in=unit_ids, status=Assessment.Status.FINAL
    ).values_list("unit_id", "band")
    return campaign.year, {uid: band for uid, band in rows if band}


def _overdue(unit_ids, today: dt.date) -> tuple[Counter, Counter]:
    from govqms.improvement import selectors as improvement
    from govqms.improvement.models import Nonconformity, Status

    ncs = Counter(
        dict(
            Nonconformity.objects.filter(unit_id__in=unit_ids, due_date__lt=today)
            .exclude(status=Status.CLOSED)
            .values("unit_id")
            .annotate(n=Count("pk"))
            .values_list("unit_id", "n")
        )
    )
    actions = Counter(improvement.overdue_counts(unit_ids, today))
    return ncs, actions


def _inspected_on_site(unit_ids, year: int) -> set[int]:
    from .models import Inspection

    return set(
        Inspection.objects.filter(
            unit_id__in=unit_ids,
            mode=Inspection.Mode.ON_SITE,
            plan__year__lt=year,
            inspected_on__isnull=False,
        ).values_list("unit_id", flat=True)
    )


def assess(owner, units, year: int, today: dt.date) -> dict[int, Risk]:
    """{unit id: Risk} for the agencies of a plan of `year`."""
    from govqms.oversight import selectors as oversight
    from govqms.oversight import signals

    units = list(units)
    unit_ids = [u.pk for u in units]
    risks = {uid: Risk(uid) for uid in unit_ids}
    if not unit_ids:
        return risks

    band_year, bands = _last_bands(owner, unit_ids, year)
    for uid, band in bands.items():
        risks[uid].add("band", BAND_WEIGHTS.get(band, 0), band=band, year=band_year)

    signal_year = year - 1
    for uid, found in signals.compute(unit_ids, signal_year).items():
        if not found:
            continue
        points = min(SIGNALS_CAP, sum(SIGNAL_WEIGHTS.get(s.signal.severity, 0) for s in found))
        risks[uid].add(
            "signals",
            points,
            count=len(found),
            year=signal_year,
            titles=[str(s.signal.title) for s in found],
        )

    ncs, actions = _overdue(unit_ids, today)
    for uid in unit_ids:
        items = ncs[uid] + actions[uid]
        if items:
            risks[uid].add(
                "overdue",
                min(OVERDUE_CAP, OVERDUE_PER_ITEM * items),
                ncs=ncs[uid],
                actions=actions[uid],
            )

    visited = _inspected_on_site(unit_ids, year)
    for uid in unit_ids:
        if uid not in visited:
            risks[uid].add("never_on_site", NEVER_ON_SITE)

    for uid, status in oversight.announcement_statuses(units, with_links=False).items():
        if status.status == oversight.NEEDED:
            risks[uid].add("announcement_needed", ANNOUNCEMENT_NEEDED)
        elif status.status == oversight.NONE:
            risks[uid].add("never_announced", NEVER_ANNOUNCED)
    return risks


def propose(units, risks: dict[int, Risk], share) -> set[int]:
    """The on-site sample proposed: the riskiest agencies, as many as the minimum
    share asks (equal scores in the order of the agencies' names); the DoST may add
    more."""
    units = list(units)
    ranked = sorted(units, key=lambda u: (-risks[u.pk].score, u.name, u.pk))
    minimum = on_site_minimum(len(units), share)
    if not minimum:
        return set()
    return {u.pk for u in ranked[:minimum]}

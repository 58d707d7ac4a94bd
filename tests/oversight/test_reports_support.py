"""Builders for the report tests: a closed campaign with final assessments made
directly with the models (how a campaign gets there is the assessments app's
business; the reports only read final results)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from govqms.assessments.models import Assessment, Campaign, CriteriaSet
from govqms.organizations.models import UnitKind
from tests.factories import make_unit

# A total inside each band of the default scheme.
TOTALS = {
    "excellent": Decimal("92.5"),
    "good": Decimal("85"),
    "fair": Decimal("70.25"),
    "average": Decimal("55"),
    "weak": Decimal("40"),
}


def agencies(parent, n, *, prefix="X", kind=UnitKind.COMMUNE_PC, province=None):
    return [
        make_unit(
            f"{prefix}{i:03d}",
            f"Ủy ban nhân dân xã Thử {prefix}{i:03d}",
            kind,
            parent=parent,
            province=province or parent.province,
        )
        for i in range(1, n + 1)
    ]


def closed_campaign(owner, year, bands: list, *, not_final=()):
    """`bands`: [(unit, band)] in rank order (best first). Units of `not_final` get an
    assessment still awaiting appraisal (no band, no rank)."""
    cset = CriteriaSet.objects.create(
        owner=owner,
        year=year,
        title=f"Bộ tiêu chí đánh giá năm {year}",
        status=CriteriaSet.Status.PUBLISHED,
    )
    campaign = Campaign.objects.create(
        owner=owner,
        year=year,
        title=f"Đánh giá việc duy trì HTQLCL năm {year}",
        criteria_set=cset,
        status=Campaign.Status.CLOSED if not not_final else Campaign.Status.OPEN,
        reference_date=dt.date(year, 9, 1),
        self_assessment_due=dt.date(year, 10, 15),
        appraisal_due=dt.date(year, 11, 10),
    )
    submitted = timezone.make_aware(dt.datetime(year, 10, 10, 10))
    rows = []
    for rank, (unit, band) in enumerate(bands, start=1):
        total = TOTALS[band]
        rows.append(
            Assessment(
                campaign=campaign,
                unit=unit,
                status=Assessment.Status.FINAL,
                self_total=total + 2,
                appraised_total=total,
                final_total=total,
                band=band,
                rank=rank,
                submitted_at=submitted,
                finalized_at=submitted,
            )
        )
    for unit in not_final:
        rows.append(
            Assessment(
                campaign=campaign,
                unit=unit,
                status=Assessment.Status.SUBMITTED,
                self_total=Decimal("88"),
                submitted_at=submitted,
            )
        )
    Assessment.objects.bulk_create(rows)
    return campaign


def spread(units, counts: dict) -> list:
    """[(unit, band)] giving the first counts["excellent"] units excellent, and so on."""
    out, i = [], 0
    for band in ("excellent", "good", "fair", "average", "weak"):
        for _ in range(counts.get(band, 0)):
            out.append((units[i], band))
            i += 1
    assert i == len(units), (i, len(units))
    return out

"""The yearly obligations of an agency, read in batch for many agencies (one query
per obligation, never one per agency). The assessment dashboard and the provincial
reports both count the agencies behind through these, so they print the same
numbers:

- an internal audit completed in the year (as audits.selectors.completed_audits);
- a management review held in the year;
- no legal update left open past its due day (three months after the new law);
- the self-assessment of the year's campaign submitted (`self_assessment_missing`).

Callers pass agency ids they have already filtered to the user."""

import datetime as dt

from django.db.models import Count, Min

from govqms.assessments.models import Assessment, Campaign


def audited(unit_ids, year: int) -> set[int]:
    """Agencies with an internal audit completed in `year`."""
    from govqms.audits.models import DONE_STATUSES, AuditPlan

    return set(
        AuditPlan.objects.filter(unit_id__in=unit_ids, year=year, status__in=DONE_STATUSES)
        .values_list("unit_id", flat=True)
        .distinct()
    )


def reviewed(unit_ids, year: int) -> set[int]:
    """Agencies with a management review held in `year`."""
    from govqms.reviews.models import ManagementReview, ReviewStatus

    return set(
        ManagementReview.objects.filter(
            unit_id__in=unit_ids,
            status__in=[ReviewStatus.HELD, ReviewStatus.MINUTES_ISSUED],
            held_at__date__gte=dt.date(year, 1, 1),
            held_at__date__lte=dt.date(year, 12, 31),
        )
        .values_list("unit_id", flat=True)
        .distinct()
    )


def legal_cutoff(year: int, today: dt.date) -> dt.date:
    """Legal updates due before this day and still open are overdue for `year`: today
    for the current year, the year's last day for a past one."""
    return min(today, dt.date(year, 12, 31))


def legal_overdue(unit_ids, year: int, today: dt.date) -> dict[int, tuple[int, dt.date]]:
    """{agency: (legal updates still open past their due day, the oldest due day)}."""
    from govqms.documents.models import UpdateTask, UpdateTaskStatus

    return {
        row["document__unit_id"]: (row["n"], row["oldest"])
        for row in UpdateTask.objects.filter(
            document__unit_id__in=unit_ids,
            status=UpdateTaskStatus.OPEN,
            due__lt=legal_cutoff(year, today),
        )
        .values("document__unit_id")
        .annotate(n=Count("pk"), oldest=Min("due"))
        .order_by()
    }


def self_assessment_missing(assessment: Assessment, campaign: Campaign, today: dt.date) -> bool:
    """Never submitted, and no longer expected: a draft still has until its due day
    while the campaign is open; after that day, or once the DoST went on without it
    (appraised the draft, closed the campaign), it is missing."""
    if assessment.submitted_at is not None:
        return False
    still_expected = (
        assessment.status == Assessment.Status.DRAFT
        and campaign.status == Campaign.Status.OPEN
        and today <= campaign.self_assessment_due
    )
    return not still_expected

"""Reads of read tasks and periodic reviews, filtered to what the user may see.

Callers obtain versions through `selectors.documents.get_version` and agencies through
`organizations.selectors.get_internal_unit`, which check and log the read."""

import datetime as dt

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from govqms.organizations import selectors as org

from ..models import Acknowledgement, Document, DocumentVersion, VersionStatus
from .documents import visible_documents

DUE_SOON_DAYS = 30


# ---------------------------------------------------------------- read tasks


def my_open_tasks(user, unit=None) -> QuerySet[Acknowledgement]:
    """The user's own unread tasks for versions in force, in the agencies they belong to."""
    if not getattr(user, "is_authenticated", False):
        return Acknowledgement.objects.none()
    qs = Acknowledgement.objects.filter(
        user=user,
        acknowledged_at__isnull=True,
        version__status=VersionStatus.EFFECTIVE,
        version__document__unit__in=org.agency_units(user),
    )
    if unit is not None:
        qs = qs.filter(version__document__unit=unit)
    return qs.select_related("version__document__unit").order_by(
        "assigned_at", "version__document__code"
    )


def my_recent_reads(user, limit: int = 10) -> QuerySet[Acknowledgement]:
    if not getattr(user, "is_authenticated", False):
        return Acknowledgement.objects.none()
    return (
        Acknowledgement.objects.filter(user=user, acknowledged_at__isnull=False)
        .select_related("version__document__unit")
        .order_by("-acknowledged_at")[:limit]
    )


def get_own_task(user, pk) -> Acknowledgement:
    """One of the user's own read tasks; anyone else's is 404."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such read task.")
    try:
        return Acknowledgement.objects.select_related("version__document__unit").get(
            pk=pk, user=user
        )
    except (Acknowledgement.DoesNotExist, ValueError, TypeError):
        raise Http404("No such read task.") from None


def reading_progress(version: DocumentVersion) -> dict:
    """{total, read, percent} of the version's read tasks (percent rounded down, 0 when
    nobody must read it)."""
    figures = version.acknowledgements.aggregate(
        total=Count("pk"), read=Count("pk", filter=Q(acknowledged_at__isnull=False))
    )
    total, read = figures["total"], figures["read"]
    return {"total": total, "read": read, "percent": (100 * read // total) if total else 0}


def readers(user, version: DocumentVersion) -> dict:
    """Who has read the version (with the time) and who has not, for the progress page."""
    if not user.has_perm("documents.view", version):
        return {"read": [], "unread": []}
    tasks = version.acknowledgements.select_related("user").order_by(
        "user__full_name", "user__username"
    )
    read = sorted(
        (t for t in tasks if t.acknowledged_at), key=lambda t: t.acknowledged_at, reverse=True
    )
    return {"read": read, "unread": [t for t in tasks if not t.acknowledged_at]}


def recent_progress(user, unit, limit: int = 5) -> list[dict]:
    """Read progress of the agency's most recent versions in force (for its home)."""
    if not org.can_view_internal(user, unit):
        return []
    versions = (
        DocumentVersion.objects.filter(document__unit=unit, status=VersionStatus.EFFECTIVE)
        .select_related("document")
        .annotate(
            total=Count("acknowledgements"),
            read=Count(
                "acknowledgements", filter=Q(acknowledgements__acknowledged_at__isnull=False)
            ),
        )
        .filter(total__gt=0)
        .order_by("-effective_from", "-pk")[:limit]
    )
    return [
        {
            "version": v,
            "total": v.total,
            "read": v.read,
            "percent": 100 * v.read // v.total if v.total else 0,
        }
        for v in versions
    ]


# ---------------------------------------------------------------- periodic review


def _reviewable(user, unit=None) -> QuerySet[Document]:
    qs = visible_documents(user).filter(versions__status=VersionStatus.EFFECTIVE)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs


def overdue_reviews(user, unit=None, *, today: dt.date | None = None) -> QuerySet[Document]:
    """Documents in force whose periodic review is past due, among those the user may see
    (one agency's, or all of them)."""
    today = today or timezone.localdate()
    return (
        _reviewable(user, unit)
        .filter(next_review_due__lt=today)
        .select_related("unit", "owner")
        .order_by("next_review_due", "unit__name", "code")
    )


def due_soon_reviews(
    user, unit=None, *, today: dt.date | None = None, days: int = DUE_SOON_DAYS
) -> QuerySet[Document]:
    """Documents in force whose periodic review falls due within `days` days."""
    today = today or timezone.localdate()
    return (
        _reviewable(user, unit)
        .filter(next_review_due__gte=today, next_review_due__lte=today + dt.timedelta(days=days))
        .select_related("unit", "owner")
        .order_by("next_review_due", "unit__name", "code")
    )


def reviews_by_agency(user, *, today: dt.date | None = None) -> list[dict]:
    """The DoST view: per supervised agency with reviews overdue or due soon, the counts
    and the oldest due date (figures only: no document of the agency is opened)."""
    today = today or timezone.localdate()
    units = org.supervised_units(user)
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    rows = (
        Document.objects.filter(
            unit__in=units,
            versions__status=VersionStatus.EFFECTIVE,
            next_review_due__lte=soon,
        )
        .values("unit")
        .annotate(
            overdue=Count("pk", filter=Q(next_review_due__lt=today)),
            due_soon=Count("pk", filter=Q(next_review_due__gte=today)),
            oldest=Min("next_review_due"),
        )
    )
    figures = {row["unit"]: row for row in rows}
    unit_objects = units.filter(pk__in=figures).select_related("parent")
    result = [
        {
            "unit": unit,
            "overdue": figures[unit.pk]["overdue"],
            "due_soon": figures[unit.pk]["due_soon"],
            "oldest": figures[unit.pk]["oldest"],
            "days_late": (today - figures[unit.pk]["oldest"]).days
            if figures[unit.pk]["overdue"]
            else 0,
        }
        for unit in unit_objects
    ]
    result.sort(key=lambda r: (-r["overdue"], r["oldest"], r["unit"].name))
    return result

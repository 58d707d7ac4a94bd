"""Reads of the legal register (shared: any signed-in user) and of the update tasks
(an agency's internal records: its members and its overseers)."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from govqms.core.text import search_terms
from govqms.organizations import selectors as org
from govqms.organizations.models import Unit

from ..models import (
    DocumentVersion,
    LegalDocument,
    LegalStatus,
    UpdateTask,
    UpdateTaskStatus,
    VersionStatus,
)
from .documents import overseen_units, visible_documents


def legal_documents(
    user, *, query: str | None = None, status: str | None = None
) -> QuerySet[LegalDocument]:
    """The shared register, searched without accents and filtered by status."""
    if not getattr(user, "is_authenticated", False):
        return LegalDocument.objects.none()
    qs = LegalDocument.objects.select_related("replaced_by")
    if status in LegalStatus.values:
        qs = qs.filter(status=status)
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    return qs.order_by("-issued", "number")


def get_legal_document(user, pk) -> LegalDocument:
    try:
        return legal_documents(user).get(pk=pk)
    except (LegalDocument.DoesNotExist, ValueError, TypeError):
        raise Http404("No such legal document.") from None


def citing_versions(user, legal: LegalDocument) -> QuerySet[DocumentVersion]:
    """Effective versions of the user's own agencies that cite this text (overseers
    open each agency's update tasks instead, where their read is logged)."""
    return (
        DocumentVersion.objects.filter(
            status=VersionStatus.EFFECTIVE,
            legal_references=legal,
            document__unit__in=org.agency_units(user),
        )
        .select_related("document__unit")
        .order_by("document__unit__name", "document__code")
    )


def update_tasks(user, unit: Unit, *, status: str | None = None) -> QuerySet[UpdateTask]:
    """The agency's update tasks (callers obtain `unit` through
    `organizations.selectors.get_internal_unit`); status "open", "done" or None (all)."""
    qs = UpdateTask.objects.filter(
        document__in=visible_documents(user), document__unit=unit
    ).select_related("document", "legal_document__replaced_by", "done_by_version")
    if status in UpdateTaskStatus.values:
        qs = qs.filter(status=status)
    if status == UpdateTaskStatus.DONE:
        return qs.order_by("-done_at", "pk")
    return qs.order_by("status", "due", "document__code", "pk")


def open_tasks_summary(user, unit: Unit, *, today: dt.date | None = None, limit: int = 8) -> dict:
    """The agency home panel: its open tasks, most urgent first, with counts."""
    today = today or timezone.localdate()
    qs = update_tasks(user, unit, status=UpdateTaskStatus.OPEN)
    counts = qs.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today)))
    return {
        "tasks": list(qs[:limit]),
        "open": counts["open"],
        "overdue": counts["overdue"],
        "today": today,
    }


def overdue_by_agency(user, *, today: dt.date | None = None, limit: int = 10) -> dict:
    """The DoST home panel: agencies of the user's subtree with the most overdue tasks."""
    today = today or timezone.localdate()
    if not org.oversight_roots(user):
        return {"rows": [], "total": 0, "agencies": 0, "today": today}
    overdue = UpdateTask.objects.filter(
        status=UpdateTaskStatus.OPEN, due__lt=today, document__unit__in=overseen_units(user)
    )
    per_agency = (
        overdue.values("document__unit", "document__unit__name", "document__unit__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "document__unit__name")
    )
    rows = [
        {
            "unit_id": row["document__unit"],
            "name": row["document__unit__name"],
            "code": row["document__unit__code"],
            "n": row["n"],
        }
        for row in per_agency[:limit]
    ]
    return {
        "rows": rows,
        "total": overdue.count(),
        "agencies": per_agency.count(),
        "today": today,
    }

"""Reads of the document register and its versions, filtered to what the user may see.

A user of an agency sees its documents; an overseer sees those of the agencies in
their subtree (read-only, each read logged for the agency)."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from govqms.core.text import fold
from govqms.organizations import selectors as org
from govqms.organizations.models import Unit, User

from ..models import Document, DocumentVersion, VersionStatus

# A version in progress: neither in force yet nor ended; live: in force or in progress.
IN_PROGRESS = [VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.APPROVED]
LIVE = [VersionStatus.EFFECTIVE, *IN_PROGRESS]


def under(paths, field: str = "path") -> Q:
    """`field` starts with one of `paths`: what lies in those subtrees (nothing when
    there is no path)."""
    q = Q(pk__in=[])
    for path in set(paths):
        q |= Q(**{f"{field}__startswith": path})
    return q


def overseen_units(user) -> QuerySet[Unit]:
    """Every unit of the user's oversight subtrees, ended ones included."""
    return Unit.objects.filter(under(root.path for root in org.oversight_roots(user)))


def visible_documents(user) -> QuerySet[Document]:
    """Documents of every agency whose internal records the user may read."""
    if not getattr(user, "is_authenticated", False):
        return Document.objects.none()
    return Document.objects.filter(unit__in=org.visible_units(user)).filter(
        Q(unit__in=org.agency_units(user)) | Q(unit__in=overseen_units(user))
    )


def log_list_read(user, units, what: str) -> None:
    """An overseer listed agencies' records: each agency sees it once in its audit trail."""
    if not org.is_oversight_user(user):
        return
    seen = set()
    for unit in units:
        if unit.pk not in seen:
            seen.add(unit.pk)
            org.log_oversight_read(user, unit, what)


def agency_people(user, unit: Unit) -> QuerySet[User]:
    """The agency's people with an active role, by name: whom a document may name as its
    process owner (callers obtain `unit` through `get_internal_unit` or a document)."""
    if not org.can_view_internal(user, unit):
        return User.objects.none()
    return (
        User.objects.filter(memberships__in=org.unit_memberships_for_listing(unit))
        .distinct()
        .order_by("full_name")
    )


def get_document(user, pk, *, what: str = "document") -> Document:
    try:
        document = visible_documents(user).select_related("unit", "owner").get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404("No such document.") from None
    if not org.is_member_of(user, document.unit):
        org.log_oversight_read(user, document.unit, f"{what}: {document.code}")
    return document


def get_version(user, pk, *, what: str = "document version") -> DocumentVersion:
    try:
        version = (
            DocumentVersion.objects.filter(document__in=visible_documents(user))
            .select_related("document__unit")
            .get(pk=pk)
        )
    except (DocumentVersion.DoesNotExist, ValueError, TypeError):
        raise Http404("No such version.") from None
    if not org.is_member_of(user, version.document.unit):
        org.log_oversight_read(user, version.document.unit, f"{what}: {version}")
    return version


def register(
    user,
    unit,
    *,
    kind: str | None = None,
    status: str | None = None,
    owner: int | str | None = None,
    due_for_review: bool = False,
    query: str | None = None,
) -> QuerySet[Document]:
    """The agency's register with its filters (callers obtain `unit` through
    `organizations.selectors.get_internal_unit`)."""
    qs = visible_documents(user).filter(unit=unit).select_related("owner")
    if kind:
        qs = qs.filter(kind=kind)
    if owner:
        qs = qs.filter(owner_id=owner)
    if status == "none":
        qs = qs.exclude(versions__status=VersionStatus.EFFECTIVE)
    elif status:
        qs = qs.filter(versions__status=status)
    if due_for_review:
        qs = qs.filter(next_review_due__lte=timezone.localdate())
    for term in fold(query).split():
        qs = qs.filter(search_text__contains=term)
    return qs.distinct().order_by("code")


def current_version(document: Document) -> DocumentVersion | None:
    return document.versions.filter(status=VersionStatus.EFFECTIVE).first()


def open_version(document: Document) -> DocumentVersion | None:
    return document.versions.filter(status__in=IN_PROGRESS).first()


def with_live_versions(documents: QuerySet[Document]) -> QuerySet[Document]:
    """`documents` with their agency and owner, and their live versions prefetched as
    `live_versions` (one query for a whole page)."""
    return documents.select_related("unit", "owner").prefetch_related(
        Prefetch(
            "versions",
            queryset=DocumentVersion.objects.filter(status__in=LIVE),
            to_attr="live_versions",
        )
    )


def register_rows(documents) -> list[dict]:
    """Each document with its current and in-progress versions, in two queries."""
    documents = list(documents)
    by_document = {}
    for version in DocumentVersion.objects.filter(document__in=documents, status__in=LIVE):
        slot = "current" if version.status == VersionStatus.EFFECTIVE else "open"
        by_document.setdefault(version.document_id, {})[slot] = version
    return [
        {
            "document": d,
            "current": by_document.get(d.pk, {}).get("current"),
            "open": by_document.get(d.pk, {}).get("open"),
        }
        for d in documents
    ]


def drafted_signoff(version: DocumentVersion):
    """The author's latest "drafted" sign-off that still counts."""
    latest = None
    for approval in version.approvals.filter(step_order=0).order_by("at", "pk"):
        if approval.counts:
            latest = approval
    return latest

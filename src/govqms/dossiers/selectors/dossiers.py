"""Reads of dossiers, their events and import batches, filtered to what the user
may see: an agency's members see its dossiers; its overseers see them read-only,
each read logged where the agency sees it. A user of another agency gets 404."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from govqms.core.text import search_terms
from govqms.organizations import selectors as org
from govqms.organizations.models import Unit

from ..models import Dossier, DossierEvent, ImportBatch, ImportProfile


def _readable_units(user) -> QuerySet[Unit]:
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    q = Q(pk__in=org.agency_units(user).values("pk"))
    for root in org.oversight_roots(user):
        q |= Q(path__startswith=root.path)
    return Unit.objects.filter(q)


def agency_dossiers(
    user,
    unit: Unit,
    *,
    procedure: str | None = None,
    status: str | None = None,
    outcome: str | None = None,
    channel: str | None = None,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    query: str | None = None,
) -> QuerySet[Dossier]:
    """An agency's dossiers, filtered (callers obtain `unit` through
    `organizations.selectors.get_internal_unit`, which checks and logs the read)."""
    if not org.can_view_internal(user, unit):
        return Dossier.objects.none()
    qs = Dossier.objects.filter(unit=unit)
    if procedure:
        qs = qs.filter(Q(procedure__code=procedure) | Q(procedure_code=procedure))
    if status:
        qs = qs.filter(status=status)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if channel:
        qs = qs.filter(channel=channel)
    if received_from:
        qs = qs.filter(received_at__date__gte=received_from)
    if received_to:
        qs = qs.filter(received_at__date__lte=received_to)
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    return qs.select_related("procedure")


def procedures_of(user, unit: Unit) -> list[tuple[str, str]]:
    """The TTHC codes found among an agency's dossiers, for the filter."""
    if not org.can_view_internal(user, unit):
        return []
    rows = (
        Dossier.objects.filter(unit=unit)
        .exclude(procedure_code="")
        .values_list("procedure_code", "procedure__name")
        .distinct()
        .order_by("procedure_code")
    )
    return [(code, name or "") for code, name in rows]


def get_dossier(user, pk, *, what: str = "dossier") -> Dossier:
    try:
        dossier = (
            Dossier.objects.filter(unit__in=_readable_units(user))
            .select_related("unit", "procedure", "batch")
            .get(pk=pk)
        )
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise Http404("No such dossier.") from None
    if not org.is_member_of(user, dossier.unit):
        org.log_oversight_read(user, dossier.unit, f"{what}: {dossier.code}")
    return dossier


def dossier_events(user, dossier: Dossier) -> QuerySet[DossierEvent]:
    """The events of a dossier the caller obtained through `get_dossier`."""
    if not org.can_view_internal(user, dossier.unit):
        return DossierEvent.objects.none()
    return DossierEvent.objects.filter(dossier=dossier).order_by("at", "seq")


def unit_batches(user, unit: Unit) -> QuerySet[ImportBatch]:
    if not org.can_view_internal(user, unit):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(unit=unit).select_related("created_by", "profile")


def visible_batches(user, *, unit_code: str | None = None) -> QuerySet[ImportBatch]:
    qs = ImportBatch.objects.filter(unit__in=_readable_units(user)).select_related("unit")
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    return qs


def get_unit_by_code(user, code) -> Unit:
    """An agency the user may see, by its code (404 otherwise)."""
    if not isinstance(code, str) or not code:
        raise Http404("No such agency.")
    unit = org.visible_units(user).filter(code=code).first()
    if unit is None:
        raise Http404("No such agency.")
    return unit


def get_batch(user, pk, *, what: str = "dossier import") -> ImportBatch:
    try:
        batch = (
            ImportBatch.objects.filter(unit__in=_readable_units(user))
            .select_related("unit", "created_by", "profile")
            .get(pk=pk)
        )
    except (ImportBatch.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import.") from None
    if not org.is_member_of(user, batch.unit):
        org.log_oversight_read(user, batch.unit, f"{what}: #{batch.pk}")
    return batch


def profiles_for(unit: Unit) -> QuerySet[ImportProfile]:
    """Import profiles an agency may use: the global ones and its own."""
    return ImportProfile.objects.filter(Q(unit__isnull=True) | Q(unit=unit)).order_by(
        "-builtin", "name"
    )


def get_profile(unit: Unit, pk=None, name: str | None = None) -> ImportProfile:
    try:
        if name is not None:
            return profiles_for(unit).get(name=name)
        return profiles_for(unit).get(pk=pk)
    except (ImportProfile.DoesNotExist, ImportProfile.MultipleObjectsReturned, ValueError):
        raise Http404("No such import profile.") from None

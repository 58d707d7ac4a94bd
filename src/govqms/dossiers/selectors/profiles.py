"""Reads of import profiles: an agency sees the shared profiles and its own (its
overseers too, read-only); a DoST administrator's console lists the shared ones.
A profile of another agency is a 404."""

from __future__ import annotations

from django.http import Http404

from govqms.core.models import AuditEntry
from govqms.core.text import fold, search_terms
from govqms.organizations import selectors as org
from govqms.organizations.models import Unit

from ..models import ImportProfile


def _search(profiles, query: str | None) -> list[ImportProfile]:
    terms = search_terms(query)
    if not terms:
        return list(profiles)
    return [p for p in profiles if all(t in fold(p.name) for t in terms)]


def agency_profiles(user, unit: Unit, *, query: str | None = None) -> list[ImportProfile]:
    """The shared profiles and `unit`'s own, built-in first (callers obtain `unit`
    through `organizations.selectors.get_internal_unit`)."""
    if not org.can_view_internal(user, unit):
        return []
    qs = ImportProfile.objects.filter(unit__isnull=True) | ImportProfile.objects.filter(unit=unit)
    return _search(qs.order_by("-builtin", "unit_id", "name"), query)


def get_agency_profile(user, unit: Unit, pk) -> ImportProfile:
    """A profile `unit` may use (shared or its own)."""
    if not org.can_view_internal(user, unit):
        raise Http404("No such import profile.")
    try:
        return (
            (
                ImportProfile.objects.filter(unit__isnull=True)
                | ImportProfile.objects.filter(unit=unit)
            )
            .select_related("unit")
            .get(pk=pk)
        )
    except (ImportProfile.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import profile.") from None


def get_own_profile(user, unit: Unit, pk) -> ImportProfile:
    """One of `unit`'s own profiles (not a shared one)."""
    if not org.can_view_internal(user, unit):
        raise Http404("No such import profile.")
    try:
        return ImportProfile.objects.select_related("unit").get(unit=unit, pk=pk)
    except (ImportProfile.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import profile.") from None


def shared_profiles(*, query: str | None = None) -> list[ImportProfile]:
    """The shared profiles (every agency sees them: nothing private in them)."""
    return _search(
        ImportProfile.objects.filter(unit__isnull=True).order_by("-builtin", "name"), query
    )


def get_shared_profile(pk) -> ImportProfile:
    try:
        return ImportProfile.objects.get(unit__isnull=True, pk=pk)
    except (ImportProfile.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import profile.") from None


def profile_history(profile: ImportProfile, limit: int = 50):
    """The audit entries about a profile the caller already obtained through one
    of the selectors above, newest first."""
    return AuditEntry.objects.filter(
        object_type=ImportProfile._meta.label_lower, object_id=str(profile.pk)
    ).order_by("-seq")[:limit]

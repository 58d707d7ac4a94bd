"""Reads of the issued provincial reports, filtered to the user: oversight users see
the reports owned by a unit of their subtree; nobody else sees any."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from govqms.organizations import selectors as org

from .models import IssuedReport


def visible_reports(user) -> QuerySet[IssuedReport]:
    q = Q(pk__in=[])
    for root in org.oversight_roots(user):
        q |= Q(owner__path__startswith=root.path)
    return IssuedReport.objects.filter(q).select_related("owner", "created_by")


def get_report(user, pk) -> IssuedReport:
    try:
        return visible_reports(user).get(pk=pk)
    except (IssuedReport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report.") from None


def owners(user) -> list:
    """The oversight roots the user reports for, in tree order."""
    return sorted(org.oversight_roots(user), key=lambda u: u.path)


def owner_for(user, value=None):
    """The root named by `value` (a pk) if the user oversees it, else the first."""
    roots = owners(user)
    for root in roots:
        if str(root.pk) == str(value):
            return root
    return roots[0] if roots else None


def oversight_owner(user, value=None):
    """The oversight root the reports pages and API work for (`owner_for`); anyone
    without an oversight role gets 403."""
    owner = owner_for(user, value) if org.is_oversight_user(user) else None
    if owner is None:
        raise PermissionDenied
    return owner


def report_years(user, owner) -> list[int]:
    """Years with a campaign or an issued report of `owner`, newest first."""
    from govqms.assessments.selectors import visible_campaigns

    years = set(visible_campaigns(user).filter(owner=owner).values_list("year", flat=True))
    years |= set(visible_reports(user).filter(owner=owner).values_list("year", flat=True))
    return sorted(years, reverse=True)

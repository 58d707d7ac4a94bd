"""The permission check every service makes before a write."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require(actor, perm: str, obj=None, *, message: str | None = None) -> None:
    """PermissionDenied unless `actor` has `perm` on `obj` (`rules` perms). No actor
    means the system itself (imports, demo data, daily sweeps): always allowed."""
    if actor is None:
        return
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(message or _("You may not do this."))

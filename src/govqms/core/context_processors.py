from govqms.core import notifications
from govqms.organizations import selectors


def navigation(request):
    """What the navigation bar shows: the user's agencies and whether they oversee."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {
        "nav_agencies": list(selectors.agency_units(user).order_by("name")[:10]),
        "nav_is_oversight": selectors.is_oversight_user(user),
        "nav_unread_notifications": notifications.unread_count(user),
    }

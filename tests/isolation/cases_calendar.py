"""Isolation cases of the working calendar (no agency data: the calendar page is for
every signed-in user; its changes are for DoST administrators)."""

import datetime as dt

from govqms.core.models import CalendarOverride
from tests.isolation import DOST_ADMIN, SELF, Route


def _override(w, target):
    # A change to the calendar of province P, the one w.dost_admin administers.
    override, _ = CalendarOverride.objects.get_or_create(
        date=dt.date(2026, 3, 9),
        scope=w.p.province,
        defaults={"kind": "day_off", "legal_basis": "Quyết định thử 1/QĐ-UBND"},
    )
    return {"pk": override.pk}


ROUTES = {
    "calendar": Route(SELF),
    "calendar_override_add": Route(DOST_ADMIN),
    "calendar_override_delete": Route(DOST_ADMIN, _override),
}

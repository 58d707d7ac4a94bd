"""Dates, stamps and actors of services that can replay past days.

Services take `today` (default: the local date) so the demo can replay earlier
years; when it is given, the stamps they write are 10:00 local time on that day.
`actor` None (or an anonymous user) is the system: the demo, the daily sweep.
"""

import datetime as dt

from django.utils import timezone


def today_or_local(today: dt.date | None) -> dt.date:
    """`today` when given, else the local date."""
    return today or timezone.localdate()


def stamp_for(today: dt.date | None) -> dt.datetime:
    """10:00 local time on `today` when given (replays), else now."""
    if today is None:
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(today, dt.time(10, 0)))


def user_or_system(actor):
    """The actor when it is a signed-in user, else None (the system)."""
    return actor if getattr(actor, "is_authenticated", False) else None

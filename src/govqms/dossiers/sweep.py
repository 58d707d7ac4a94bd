"""Daily: open dossiers whose due time has passed become overdue, and the dashboards'
rollups follow (imports only reclassify the dossiers they touch)."""

import datetime as dt

from django.utils import timezone

from .models import Dossier, Outcome


def mark_overdue(today: dt.date) -> int:
    """Reclassify the open dossiers still shown in time whose due time is before the
    end of `today`; returns how many changed."""
    from govqms.kpis import services as kpis

    from . import classify

    end_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time(23, 59, 59)))
    now = min(timezone.now(), end_of_day) if today == timezone.localdate() else end_of_day
    ids = list(
        Dossier.objects.filter(
            resolved_at__isnull=True, outcome=Outcome.IN_TIME, due_at__lt=now
        ).values_list("pk", flat=True)
    )
    if not ids:
        return 0
    changed = classify.classify_dossiers(ids, now=now)
    kpis.after_import(ids)
    return changed

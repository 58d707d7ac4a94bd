"""The daily sweep turns open dossiers overdue once their due time has passed."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from govqms.dossiers.models import Dossier, Outcome
from govqms.dossiers.services.imports import import_api_batch
from govqms.dossiers.sweep import mark_overdue
from tests.dossiers.factories import make_tthc


def test_an_open_dossier_becomes_overdue_after_its_due_day(world):
    make_tthc(days=3)
    received = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    payload = {
        "unit": "P-A",
        "dossiers": [
            {
                "code": "HS-MO-01",
                "procedure_code": "1.001193",
                "channel": "counter",
                "received_at": received.isoformat(),
                "events": [{"kind": "received", "at": received.isoformat(), "step": "Tiếp nhận"}],
            }
        ],
    }
    import_api_batch(world.a_secretary, world.a, payload, "sweep-1")
    dossier = Dossier.objects.get(code="HS-MO-01")
    assert dossier.outcome == Outcome.IN_TIME  # due three working days after today
    due_day = timezone.localtime(dossier.due_at).date()
    assert mark_overdue(due_day - dt.timedelta(days=1)) == 0
    changed = mark_overdue(due_day + dt.timedelta(days=1))
    dossier.refresh_from_db()
    assert changed == 1 and dossier.outcome == Outcome.OVERDUE
    # The sweep runs it, and a second run does nothing more.
    call_command("sweep", "--date", (due_day + dt.timedelta(days=2)).isoformat())
    assert mark_overdue(due_day + dt.timedelta(days=2)) == 0

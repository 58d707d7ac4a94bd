"""Dossier evidence for the KPI tests, imported through the dossiers pipeline (the
JSON batch API service), then rolled up as the pipeline's hook does."""

import datetime as dt
from zoneinfo import ZoneInfo

from govqms.dossiers.models import Dossier
from govqms.dossiers.services.imports import import_api_batch
from govqms.kpis import services
from tests.procedures.factories import covered_assignment, make_tthc

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Steps of tests/documents/factories.PROCEDURE: 1 + 4 + 2 + 1 hours = 1 working day.
STEPS = ["Tiếp nhận hồ sơ", "Thẩm định", "Ký duyệt", "Trả kết quả"]


def at(day: dt.date, hh: int, mm: int = 0) -> str:
    return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=VN).isoformat()


def birth_registration(unit, tthc=None):
    """The TTHC "Đăng ký khai sinh" (1 working day) assigned to `unit`, covered by an
    effective procedure with the four documented steps."""
    tthc = tthc or make_tthc()
    covered_assignment(unit, tthc=tthc)
    return tthc


def dossier(
    code, day, *, resolved=None, steps=STEPS, hours=(8, 9, 11, 14, 15), actor="Nguyễn Văn An"
):
    """A dossier received at 08:00 on `day`; `steps` handed over at the given hours of
    the day `resolved` (None: still open, only received)."""
    events = [{"kind": "received", "at": at(day, hours[0]), "actor": actor}]
    if resolved is not None:
        for i, name in enumerate(steps):
            kind = "resolved" if i == len(steps) - 1 else "transferred"
            events.append(
                {
                    "kind": kind,
                    "at": at(resolved, hours[min(i + 1, len(hours) - 1)]),
                    "step": name,
                    "actor": actor,
                    "division": "Tư pháp - Hộ tịch",
                }
            )
    return {
        "code": code,
        "procedure_code": "1.001193",
        "channel": "online",
        "received_at": at(day, hours[0]),
        "events": events,
    }


def import_batch(unit, dossiers, key, actor=None, now=None):
    batch, result = import_api_batch(actor, unit, {"dossiers": dossiers}, key, now=now)
    assert result is None or result.ok, result and result.errors
    codes = [d["code"] for d in dossiers]
    ids = list(Dossier.objects.filter(unit=unit, code__in=codes).values_list("pk", flat=True))
    services.after_import(ids)
    return batch

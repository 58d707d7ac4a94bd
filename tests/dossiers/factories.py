"""Builders for dossier tests."""

import datetime as dt
from decimal import Decimal

from govqms.procedures.models import AdministrativeProcedure, ProcedureLevel

VN = dt.timezone(dt.timedelta(hours=7))


def at(day: str, time: str = "09:00") -> dt.datetime:
    """An instant in Vietnam's time: at("2026-01-05", "10:00")."""
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=VN)


def make_tthc(code="1.001193", name="Đăng ký khai sinh", days=3):
    procedure, _ = AdministrativeProcedure.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "field": "Hộ tịch",
            "level": ProcedureLevel.COMMUNE,
            "time_limit_days": Decimal(days),
        },
    )
    return procedure


PORTAL_HEADER = (
    "Mã hồ sơ,Mã TTHC,Kênh nộp,Ngày tiếp nhận,Trạng thái,Thời điểm,Bước xử lý,Người xử lý\n"
)


def portal_csv(rows: list[str]) -> bytes:
    return (PORTAL_HEADER + "\n".join(rows) + "\n").encode("utf-8")

"""Builders for the procedures tests."""

import datetime as dt

from govqms.documents.models import VersionStatus
from govqms.procedures import services
from tests.documents.factories import make_procedure

BIRTH = {
    "code": "1.001193",
    "name": "Đăng ký khai sinh",
    "field": "Hộ tịch",
    "level": "commune",
    "time_limit_days": "1",
    "fees": "Miễn lệ phí",
    "online_level": "full",
    "legal_basis": "Luật Hộ tịch số 60/2014/QH13",
    "announced_by": "Quyết định số 1872/QĐ-BTP",
    "announced_on": dt.date(2020, 10, 15),
}


def make_tthc(**overrides):
    return services.create_procedure(None, **{**BIRTH, **overrides})


def make_effective(unit, code="QT-TP-01", title="Quy trình đăng ký khai sinh", content=None):
    """A procedure document of `unit` whose first issue is in force (status set directly)."""
    document = make_procedure(unit, code=code, title=title, content=content)
    version = document.versions.get()
    version.status = VersionStatus.EFFECTIVE
    version.effective_from = dt.date(2026, 1, 5)
    version.save(update_fields=["status", "effective_from"])
    return document, version


def covered_assignment(unit, *, tthc=None, effective=True, code="QT-TP-01", content=None):
    """A TTHC assigned to `unit`, in scope, linked to one of its procedures."""
    tthc = tthc or make_tthc()
    (assignment,) = services.assign(None, tthc, [unit], assigned_on=dt.date(2020, 10, 1))
    if effective:
        document, _ = make_effective(unit, code=code, content=content)
    else:
        document = make_procedure(unit, code=code, content=content)
    services.set_scope(None, assignment, in_scope=True, document=document)
    assignment.refresh_from_db()
    return assignment

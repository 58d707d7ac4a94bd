"""CSV imports through a profile: the national portal's status codes 1-10, a bad
row refuses the whole file and names its row and field, re-imports change nothing."""

import io

import pytest
from django.core.exceptions import PermissionDenied

from govqms.core.models import AuditEntry
from govqms.dossiers.models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierStatus,
    EventKind,
    ImportProfile,
    Outcome,
)
from govqms.dossiers.profiles import NATIONAL_PORTAL
from govqms.dossiers.services.imports import import_file
from tests.dossiers.factories import at, make_tthc, portal_csv

NOW = at("2026-03-01")

GOOD = [
    # B-001: online (1), accepted (2), in process (4), resolved (9), delivered (10)
    "B-001,1.001193,,05/01/2026 08:00,1,05/01/2026 08:00,Nộp trực tuyến,Nguyễn Văn An",
    "B-001,1.001193,,05/01/2026 10:00,2,05/01/2026 10:00,Tiếp nhận,Trần Thị Bình",
    "B-001,1.001193,,05/01/2026 10:00,4,06/01/2026 14:00,Thẩm định,Lê Văn Cường",
    "B-001,1.001193,,05/01/2026 10:00,9,07/01/2026 09:00,Ký duyệt,Phạm Văn Dũng",
    "B-001,1.001193,,05/01/2026 10:00,10,08/01/2026 15:00,Trả kết quả,Trần Thị Bình",
    # B-002 at the counter: supplement requested (5), then in process (4) = received
    "B-002,1.001193,Trực tiếp,05/01/2026 10:00,2,05/01/2026 10:00,Tiếp nhận,Trần Thị Bình",
    "B-002,1.001193,Trực tiếp,05/01/2026 10:00,5,06/01/2026 09:00,Thẩm định,Lê Văn Cường",
    "B-002,1.001193,Trực tiếp,05/01/2026 10:00,4,12/01/2026 09:00,Thẩm định,Lê Văn Cường",
    "B-002,1.001193,Trực tiếp,05/01/2026 10:00,9,15/01/2026 10:00,Ký duyệt,Phạm Văn Dũng",
    # B-003..B-010: one of each remaining code
    "B-003,1.001193,Bưu chính,05/01/2026 10:00,3,05/01/2026 11:00,Tiếp nhận,Trần Thị Bình",
    "B-006,1.001193,Trực tiếp,05/01/2026 10:00,6,05/01/2026 11:00,Thu phí,Trần Thị Bình",
    "B-007,1.001193,Trực tiếp,05/01/2026 10:00,7,05/01/2026 11:00,Rút hồ sơ,Trần Thị Bình",
    "B-008,1.001193,Trực tiếp,05/01/2026 10:00,8,05/01/2026 11:00,Dừng,Trần Thị Bình",
]


@pytest.fixture
def portal(db):
    return ImportProfile.objects.get(name=NATIONAL_PORTAL, unit=None)


def run(world, data, portal, actor=None, name="xuat-dvc.csv"):
    return import_file(
        actor, world.a, io.BytesIO(data), fmt="csv", profile=portal, filename=name, now=NOW
    )


def test_national_portal_codes_1_to_10(world, portal):
    make_tthc()
    result = run(world, portal_csv(GOOD), portal)
    assert result.ok, result.errors
    d1 = Dossier.objects.get(code="B-001")
    kinds = list(d1.events.order_by("at", "seq").values_list("kind", flat=True))
    assert kinds == ["received", "received", "transferred", "resolved", "delivered"]
    assert d1.channel == Channel.ONLINE  # code 1: registered online
    assert d1.status == DossierStatus.DELIVERED and d1.outcome == Outcome.EARLY
    # Due: 3 working days from Monday 5 January 2026 10:00 -> Thursday 8 at 17:30.
    assert d1.due_at.astimezone(at("2026-01-08").tzinfo).strftime("%d/%m %H:%M") == "08/01 17:30"
    d2 = Dossier.objects.get(code="B-002")
    assert EventKind.SUPPLEMENT_RECEIVED in set(d2.events.values_list("kind", flat=True))
    # The clock restarted on 12/01: due 15/01 17:30; resolved that day = on time.
    assert d2.clock_restarts == 1 and d2.outcome == Outcome.ON_TIME
    statuses = dict(Dossier.objects.values_list("code", "status"))
    assert statuses["B-003"] == DossierStatus.RETURNED
    assert statuses["B-006"] == DossierStatus.PAYMENT
    assert statuses["B-007"] == DossierStatus.WITHDRAWN
    assert statuses["B-008"] == DossierStatus.STOPPED
    assert Dossier.objects.get(code="B-003").channel == Channel.POST
    # One audit entry for the batch, naming its counts.
    entry = AuditEntry.objects.get(action="dossiers_imported")
    assert entry.changes["dossiers_created"] == 6 and entry.changes["events_created"] == 13


def test_same_file_twice_changes_nothing(world, portal):
    make_tthc()
    first = run(world, portal_csv(GOOD), portal).batch
    second = run(world, portal_csv(GOOD), portal).batch
    assert (first.dossiers_created, first.events_created) == (6, 13)
    assert (second.dossiers_created, second.dossiers_updated, second.events_created) == (0, 0, 0)
    assert (second.dossiers_unchanged, second.events_unchanged, second.reclassified) == (6, 13, 0)
    assert Dossier.objects.count() == 6 and DossierEvent.objects.count() == 13


def test_one_bad_row_imports_nothing_and_names_row_and_field(world, portal):
    make_tthc()
    rows = list(GOOD)
    rows[6] = rows[6].replace("06/01/2026 09:00", "31/02/2026 09:00")  # row 8 of the file
    result = run(world, portal_csv(rows), portal)
    assert not result.ok and result.error_count == 1
    error = result.errors[0]
    assert (error.file, error.row, error.column) == ("xuat-dvc.csv", 8, "Thời điểm")
    assert "31/02/2026" in str(error)
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
    assert result.batch.status == "failed" and result.batch.errors[0]["row"] == 8


def test_unknown_status_and_agency_are_errors_unknown_tthc_a_warning(world, portal):
    data = (
        "Mã hồ sơ,Mã đơn vị,Mã TTHC,Ngày tiếp nhận,Trạng thái,Thời điểm\n"
        "X-1,P-A,9.999999,05/01/2026 10:00,2,05/01/2026 10:00\n"
    ).encode()
    result = run(world, data, portal)
    assert result.ok and result.warning_count == 1
    assert result.warnings[0].code == "unknown_procedure" and result.warnings[0].row == 2
    assert Dossier.objects.get(code="X-1").procedure_code == "9.999999"
    bad = (
        "Mã hồ sơ,Mã đơn vị,Ngày tiếp nhận,Trạng thái,Thời điểm\n"
        "X-2,P-A,05/01/2026 10:00,42,05/01/2026 10:00\n"
        "X-3,KHONG-CO,05/01/2026 10:00,2,05/01/2026 10:00\n"
        "X-4,Q-C,05/01/2026 10:00,2,05/01/2026 10:00\n"
    ).encode()
    result = run(world, bad, portal)
    found = {(e.row, e.column, e.code) for e in result.errors}
    assert (2, "Trạng thái", "bad_value") in found
    assert (3, "Mã đơn vị", "unknown_agency") in found
    assert (4, "Mã đơn vị", "other_agency") in found
    assert not Dossier.objects.filter(code__in=["X-2", "X-3", "X-4"]).exists()


def test_event_before_receipt_is_an_error(world, portal):
    data = portal_csv(["E-1,,,05/01/2026 10:00,4,04/01/2026 10:00,Thẩm định,An"])
    result = run(world, data, portal)
    assert [e.code for e in result.errors] == ["event_before_receipt"]
    assert result.errors[0].row == 2


def test_only_import_roles_may_import(world, portal):
    with pytest.raises(PermissionDenied):
        run(world, portal_csv(GOOD), portal, actor=world.a_staff)
    with pytest.raises(PermissionDenied):
        run(world, portal_csv(GOOD), portal, actor=world.dost_officer)
    assert run(world, portal_csv(GOOD), portal, actor=world.a_secretary).ok
    assert run(world, portal_csv(GOOD), portal, actor=world.dost_admin).ok


def test_xlsx_through_the_same_profile(world, portal):
    import xlsxwriter

    make_tthc()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    lines = portal_csv(GOOD).decode().strip().split("\n")
    for r, line in enumerate(lines):
        sheet.write_row(r, 0, line.split(","))
    book.close()
    result = import_file(
        None, world.a, io.BytesIO(buffer.getvalue()), fmt="xlsx", profile=portal, now=NOW
    )
    assert result.ok and result.batch.events_created == 13


def test_a_file_not_in_utf8_is_named_not_crashed(world, portal):
    make_tthc()
    data = portal_csv(GOOD).decode("utf-8").encode("cp1258", errors="replace")
    result = run(world, data, portal)
    assert not result.ok and result.errors[0].file == "xuat-dvc.csv"
    assert result.errors[0].row == 1 and "UTF-8" in str(result.errors[0])
    assert not Dossier.objects.exists()

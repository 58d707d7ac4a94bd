"""Importing the TTHC catalogue: validate first, all or nothing, idempotent, history
kept, every error names the file, the row and the column."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from govqms.core.models import AuditEntry
from govqms.procedures import services
from govqms.procedures.imports import import_procedures
from govqms.procedures.models import AdministrativeProcedure, ProcedureRevision

pytestmark = pytest.mark.django_db

HEADER = (
    "ma_tthc;ten_tthc;linh_vuc;cap_thuc_hien;thoi_han_ngay;phi_le_phi;muc_do_truc_tuyen;"
    "can_cu_phap_ly;quyet_dinh_cong_bo;ngay_cong_bo"
)
ROWS = [
    "1.001193;Đăng ký khai sinh;Hộ tịch;Cấp xã;1;Miễn lệ phí;Toàn trình;"
    "Luật Hộ tịch số 60/2014/QH13;Quyết định số 1872/QĐ-BTP;15/10/2020",
    "1.000894;Đăng ký kết hôn;Hộ tịch;Cấp xã;1;Miễn lệ phí;Một phần;"
    "Luật Hộ tịch số 60/2014/QH13;Quyết định số 1872/QĐ-BTP;15/10/2020",
    "2.000815;Chứng thực bản sao từ bản chính;Chứng thực;commune;0,5;2.000 đồng/trang;partial;"
    "Nghị định 23/2015/NĐ-CP;Quyết định số 1024/QĐ-BTP;2021-05-10",
]


def csv_bytes(*rows, header=HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def snapshot():
    return sorted(
        AdministrativeProcedure.objects.values_list(
            "code", "name", "time_limit_days", "online_level", "announced_on", "fees"
        )
    )


def test_good_file_then_the_same_file_again(world):
    result = import_procedures(csv_bytes(*ROWS), filename="tthc.csv", actor=world.dost_admin)
    assert result.ok and result.applied, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    copy = AdministrativeProcedure.objects.get(code="2.000815")
    assert copy.time_limit_days == Decimal("0.50")
    assert copy.online_level == "partial" and copy.level == "commune"
    assert copy.announced_on == dt.date(2021, 5, 10)
    assert AdministrativeProcedure.objects.get(code="1.001193").online_level == "full"
    assert ProcedureRevision.objects.count() == 3
    # One audit entry for the batch, naming its counts.
    (entry,) = AuditEntry.objects.filter(action="procedure_import")
    assert sorted(entry.changes["created"]) == ["1.000894", "1.001193", "2.000815"]
    assert "tthc.csv" in entry.note
    before = snapshot()
    again = import_procedures(csv_bytes(*ROWS), filename="tthc.csv", actor=world.dost_admin)
    assert again.ok and not again.applied
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert snapshot() == before
    assert ProcedureRevision.objects.count() == 3
    assert AuditEntry.objects.filter(action="procedure_import").count() == 1


def test_update_by_code_keeps_history_and_restarts_the_list_deadline(world):
    import_procedures(csv_bytes(*ROWS), filename="tthc.csv")
    birth = AdministrativeProcedure.objects.get(code="1.001193")
    (assignment,) = services.assign(None, birth, [world.a], assigned_on=dt.date(2020, 10, 1))
    changed = (
        ROWS[0]
        .replace("Miễn lệ phí", "Miễn lệ phí, cấp bản sao 8.000 đồng")
        .replace("Quyết định số 1872/QĐ-BTP;15/10/2020", "Quyết định số 235/QĐ-BTP;02/03/2026")
    )
    result = import_procedures(csv_bytes(changed, *ROWS[1:]), filename="tthc-2026.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    revision = birth.revisions.order_by("-pk").first()
    assert set(revision.changes) == {"fees", "announced_by", "announced_on"}
    assert revision.changes["fees"] == ["Miễn lệ phí", "Miễn lệ phí, cấp bản sao 8.000 đồng"]
    assert revision.announced_by == "Quyết định số 235/QĐ-BTP"
    assert revision.source == "tthc-2026.csv"
    assert birth.revisions.count() == 2
    assignment.refresh_from_db()
    assert assignment.list_update_due == dt.date(2026, 3, 9)  # Tue 3 ... Fri 6, Mon 9


def test_xlsx_file_and_the_command(world, tmp_path):
    import xlsxwriter

    path = tmp_path / "tthc.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, HEADER.split(";"))
    for r, row in enumerate(ROWS, start=1):
        cells = row.split(";")
        sheet.write_string(r, 0, cells[0])
        sheet.write_row(r, 1, cells[1:4])
        sheet.write_number(r, 4, float(cells[4].replace(",", ".")))
        sheet.write_row(r, 5, cells[5:9])
        sheet.write_datetime(r, 9, dt.datetime(2020, 10, 15), day)
    workbook.close()
    out = io.StringIO()
    call_command("import_procedures", str(path), "--dry-run", stdout=out)
    assert out.getvalue() and not AdministrativeProcedure.objects.exists()
    call_command("import_procedures", str(path), stdout=io.StringIO())
    assert AdministrativeProcedure.objects.get(code="2.000815").time_limit_days == Decimal("0.5")
    assert AdministrativeProcedure.objects.get(code="2.000815").announced_on == dt.date(
        2020, 10, 15
    )


@pytest.mark.parametrize(
    "row, column, code",
    [
        (ROWS[1].replace("1.000894", "1.001234x"), "ma_tthc", "bad_code"),
        (ROWS[1].replace("1.000894", "1001234"), "ma_tthc", "bad_code"),
        (ROWS[1].replace("1.000894", "1.001193"), "ma_tthc", "duplicate_code"),
        (ROWS[1].replace("Cấp xã", "Cấp thôn"), "cap_thuc_hien", "unknown_level"),
        (ROWS[1].replace(";1;Miễn", ";một ngày;Miễn"), "thoi_han_ngay", "bad_number"),
        (ROWS[1].replace(";1;Miễn", ";1,5,2;Miễn"), "thoi_han_ngay", "bad_number"),
        (ROWS[1].replace("15/10/2020", "31/02/2020"), "ngay_cong_bo", "bad_date"),
        (ROWS[1].replace("15/10/2020", "mùa thu"), "ngay_cong_bo", "bad_date"),
        (ROWS[1].replace("Một phần", "Nửa chừng"), "muc_do_truc_tuyen", "unknown_online_level"),
    ],
)
def test_every_bad_input_names_file_row_and_column_and_imports_nothing(row, column, code, world):
    result = import_procedures(
        csv_bytes(ROWS[0], row, ROWS[2]), filename="sai.csv", actor=world.dost_admin
    )
    assert not result.ok and not result.applied
    (error,) = result.errors
    assert (error.file, error.row, error.column, error.code) == ("sai.csv", 3, column, code)
    assert "sai.csv" in str(error) and "3" in str(error) and column in str(error)
    assert not AdministrativeProcedure.objects.exists()
    assert not AuditEntry.objects.filter(action="procedure_import").exists()


def test_missing_column_and_permission(world):
    header = HEADER.replace("cap_thuc_hien;", "")
    rows = [r.replace(";Cấp xã;", ";").replace(";commune;", ";") for r in ROWS]
    result = import_procedures(csv_bytes(*rows, header=header), filename="thieu.csv")
    assert [e.code for e in result.errors] == ["missing_column"]
    assert result.errors[0].row == 1 and result.errors[0].column == "cap_thuc_hien"
    result = import_procedures(csv_bytes(*ROWS), filename="tthc.csv", actor=world.dost_officer)
    assert [e.code for e in result.errors] == ["permission"]
    assert not AdministrativeProcedure.objects.exists()


def test_an_update_error_rolls_back_everything(world):
    import_procedures(csv_bytes(*ROWS), filename="tthc.csv")
    before = snapshot()
    rows = [ROWS[0].replace("Miễn lệ phí", "Thay đổi"), ROWS[1].replace("Cấp xã", "xyz"), ROWS[2]]
    result = import_procedures(csv_bytes(*rows), filename="tthc.csv")
    assert [e.code for e in result.errors] == ["unknown_level"]
    assert snapshot() == before


def test_import_page(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.dost_admin)
    url = reverse("procedure_import")
    upload = SimpleUploadedFile("tthc.csv", csv_bytes(*ROWS), content_type="text/csv")
    body = client.post(url, {"file": upload}, follow=True).content.decode()
    assert "import-result" in body
    assert AdministrativeProcedure.objects.count() == 3
    bad = SimpleUploadedFile("sai.csv", csv_bytes(ROWS[0].replace("Cấp xã", "Cấp thôn")))
    body = client.post(url, {"file": bad}).content.decode()
    assert "import-errors" in body and "cap_thuc_hien" in body
    assert client.get(url + "?template=1")["Content-Type"].startswith("application/vnd")

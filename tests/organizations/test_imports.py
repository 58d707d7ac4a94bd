"""Importing agencies from XLSX and CSV: all checked first, all or nothing, idempotent,
and every error names the file, the row (header = row 1) and the column."""

import datetime as dt
import io
import unicodedata

import openpyxl
import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from govqms.core.models import AuditEntry
from govqms.organizations import services
from govqms.organizations.imports import ImportResult, import_agencies, template_xlsx
from govqms.organizations.models import Unit, UnitKind
from tests.factories import make_unit

pytestmark = pytest.mark.django_db

HEADERS = [
    "ma",
    "ten",
    "loai",
    "ma_cap_tren",
    "tinh",
    "hieu_luc_tu",
    "hieu_luc_den",
    "thuoc_pham_vi_so_khcn",
]
# A child before its parent, a kind by label and by everyday word, a date in
# each format, a province inherited from the parent.
GOOD_ROWS = [
    ["BN-SNV-VTLT", "Chi cục Văn thư - Lưu trữ", "sub_department", "BN-SNV", "", "2020-01-01",
     "", "có"],
    ["BN", "Ủy ban nhân dân tỉnh Bắc Ninh", "provincial_pc", "", "Bắc Ninh", "2020-01-01", "",
     "không"],
    ["BN-SNV", "Sở Nội vụ tỉnh Bắc Ninh", "Department", "BN", "Bắc Ninh", "01/01/2020", "", "x"],
    ["BN-HUC-256", "Ủy ban nhân dân thành phố Bắc Ninh", "district_pc", "BN", "Bắc Ninh",
     "2020-01-01", "2025-06-30", "1"],
    ["XAC-09163", "Ủy ban nhân dân phường Vũ Ninh", "phường", "BN-HUC-256", "Bắc Ninh",
     "1/1/2020", "30/06/2025", "x"],
]  # fmt: skip


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, headers)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    workbook.close()
    return buffer.getvalue()


def csv_text(rows, headers=HEADERS, delimiter=",") -> str:
    lines = [delimiter.join(headers)]
    for row in rows:
        lines.append(delimiter.join(f'"{v}"' if delimiter in str(v) else str(v) for v in row))
    return "\r\n".join(lines) + "\r\n"


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def snapshot():
    return Unit.objects.count(), AuditEntry.objects.count()


def only_error(result: ImportResult):
    assert not result.applied and result.created == 0
    assert len(result.errors) >= 1, result
    return result.errors[0]


# ---------------------------------------------------------------- good files


def test_good_xlsx_imports_and_reimport_changes_nothing(tmp_path):
    path = write(tmp_path, "don_vi.xlsx", xlsx_bytes(GOOD_ROWS))
    result = import_agencies(path, filename="don_vi.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    assert result.applied
    root = Unit.objects.get(code="BN")
    dept = Unit.objects.get(code="BN-SNV")
    sub = Unit.objects.get(code="BN-SNV-VTLT")
    ward = Unit.objects.get(code="XAC-09163")
    assert root.parent is None and not root.in_dost_remit
    assert dept.parent == root and dept.kind == UnitKind.DEPARTMENT
    assert dept.valid_from == dt.date(2020, 1, 1)
    assert sub.parent == dept and sub.province == "Bắc Ninh" and sub.in_dost_remit
    assert ward.kind == UnitKind.COMMUNE_PC and ward.valid_to == dt.date(2025, 6, 30)
    assert ward.path.startswith(root.path)
    # Every unit created through the service, with its audit entry.
    assert AuditEntry.objects.filter(action="create", object_type="organizations.unit").count() == 5

    before = snapshot()
    again = import_agencies(path, filename="don_vi.xlsx")
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert not again.applied
    assert snapshot() == before


@pytest.mark.parametrize(
    "encoding,delimiter", [("utf-8-sig", ","), ("utf-8", ","), ("utf-8-sig", ";")]
)
def test_good_csv_with_or_without_bom(tmp_path, encoding, delimiter):
    path = write(tmp_path, "don_vi.csv", csv_text(GOOD_ROWS, delimiter=delimiter).encode(encoding))
    result = import_agencies(path, filename="don_vi.csv")
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 5
    assert Unit.objects.get(code="BN-SNV").name == "Sở Nội vụ tỉnh Bắc Ninh"
    before = snapshot()
    assert import_agencies(path, filename="don_vi.csv").unchanged == 5
    assert snapshot() == before


def test_decomposed_unicode_is_stored_composed(tmp_path):
    rows = [[unicodedata.normalize("NFD", str(v)) for v in GOOD_ROWS[1]]]
    path = write(tmp_path, "nfd.csv", csv_text(rows).encode("utf-8"))
    assert import_agencies(path).ok
    assert Unit.objects.get(code="BN").name == "Ủy ban nhân dân tỉnh Bắc Ninh"


def test_english_headers_any_order_and_ignored_columns(tmp_path):
    headers = ["STT", "Parent code", "Code", "Name", "Kind", "Province", "Valid from", "Ghi chú"]
    rows = [
        [
            1,
            "",
            "Q",
            "Ủy ban nhân dân tỉnh Lạng Sơn",
            "provincial_pc",
            "Lạng Sơn",
            "2020-01-01",
            "",
        ],
        [2, "Q", "Q-STP", "Sở Tư pháp tỉnh Lạng Sơn", "sở", "Lạng Sơn", "2020-01-01", "mới"],
    ]
    result = import_agencies(xlsx_bytes(rows, headers), filename="english.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    assert Unit.objects.get(code="Q-STP").parent.code == "Q"


def test_changed_attributes_are_updated_through_the_service(tmp_path):
    import_agencies(xlsx_bytes(GOOD_ROWS), filename="v1.xlsx")
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][7] = "không"  # BN-SNV out of the remit
    result = import_agencies(xlsx_bytes(rows), filename="v2.xlsx")
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 1, 4)
    outcome = next(o for o in result.outcomes if o.code == "BN-SNV")
    assert outcome.action == "update" and outcome.changes == {"in_dost_remit": False}
    assert not Unit.objects.get(code="BN-SNV").in_dost_remit
    entry = AuditEntry.objects.filter(action="update").latest("seq")
    assert entry.changes == {"in_dost_remit": [True, False]}


def test_parent_may_be_an_existing_unit(world):
    rows = [["P-NEW", "Ủy ban nhân dân xã Tân Chi", "commune_pc", "P", "", "2021-01-01", "", "x"]]
    result = import_agencies(xlsx_bytes(rows), filename="them_xa.xlsx", actor=world.dost_admin)
    assert result.ok, [str(e) for e in result.errors]
    unit = Unit.objects.get(code="P-NEW")
    assert unit.parent == world.p and unit.province == "Bắc Ninh"
    assert AuditEntry.objects.filter(object_id=str(unit.pk), actor=world.dost_admin).exists()


def test_dry_run_reports_without_saving(tmp_path):
    before = snapshot()
    result = import_agencies(xlsx_bytes(GOOD_ROWS), filename="thu.xlsx", dry_run=True)
    assert result.ok and result.dry_run and result.created == 5 and not result.applied
    assert snapshot() == before


def test_uploaded_file_as_the_web_page_sends_it(world):
    rows = [["P-UP", "Ủy ban nhân dân xã Phật Tích", "xã", "P", "", "2021-01-01", "", "x"]]
    upload = SimpleUploadedFile("tải lên.xlsx", xlsx_bytes(rows))
    result = import_agencies(upload, filename=upload.name, actor=world.dost_admin)
    assert result.ok and result.created == 1
    data = result.as_dict()
    assert data["created"] == 1 and data["errors"] == [] and data["filename"] == "tải lên.xlsx"


def test_template_workbook_imports(tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()), read_only=True)
    headers = next(book.worksheets[0].iter_rows(values_only=True))
    assert headers[:3] == ("ma", "ten", "loai")


# ---------------------------------------------------------------- bad files


def check_nothing_imported(result, before, *, file, row, column, code):
    """The first error names the file, row and column; nothing was written."""
    error = only_error(result)
    assert error.code == code, [str(e) for e in result.errors]
    assert error.file == file
    assert error.row == row
    assert error.column == column
    text = str(error)
    assert file in text and (row is None or str(row) in text)
    if column:
        assert column in text
    assert snapshot() == before
    return error


def test_missing_column_is_named_on_row_1(tmp_path):
    headers = [h for h in HEADERS if h != "loai"]
    rows = [[v for i, v in enumerate(r) if HEADERS[i] != "loai"] for r in GOOD_ROWS]
    before = snapshot()
    result = import_agencies(xlsx_bytes(rows, headers), filename="thieu_cot.xlsx")
    check_nothing_imported(
        result, before, file="thieu_cot.xlsx", row=1, column="loai", code="missing_column"
    )


def test_unknown_column_is_named(tmp_path):
    before = snapshot()
    result = import_agencies(
        xlsx_bytes(GOOD_ROWS, HEADERS[:-1] + ["pham vi"]), filename="cot_la.xlsx"
    )
    error = check_nothing_imported(
        result, before, file="cot_la.xlsx", row=1, column="pham vi", code="unknown_column"
    )
    assert error.column_letter == "H"


def test_unknown_parent(tmp_path):
    rows = [list(r) for r in GOOD_ROWS]
    rows[4][3] = "HUC-999"  # row 6 in Excel
    before = snapshot()
    result = import_agencies(xlsx_bytes(rows), filename="cap_tren.xlsx")
    error = check_nothing_imported(
        result, before, file="cap_tren.xlsx", row=6, column="ma_cap_tren", code="unknown_parent"
    )
    assert "HUC-999" in error.message and error.column_letter == "D"


def test_duplicate_code_in_the_file(tmp_path):
    rows = [*GOOD_ROWS, ["BN-SNV", "Sở Nội vụ (trùng)", "department", "BN", "Bắc Ninh", "", "", ""]]
    before = snapshot()
    result = import_agencies(xlsx_bytes(rows), filename="trung.xlsx")
    error = check_nothing_imported(
        result, before, file="trung.xlsx", row=7, column="ma", code="duplicate_code"
    )
    assert "4" in error.message  # the row it first appears in


def test_unknown_kind(tmp_path):
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][2] = "bộ"
    before = snapshot()
    result = import_agencies(csv_text(rows).encode(), filename="loai.csv")
    check_nothing_imported(
        result, before, file="loai.csv", row=4, column="loai", code="unknown_kind"
    )


@pytest.mark.parametrize("value", ["31/02/2020", "2020/13/01", "ngày 1 tháng 1", "2020"])
def test_bad_date(tmp_path, value):
    rows = [list(r) for r in GOOD_ROWS]
    rows[3][5] = value
    before = snapshot()
    result = import_agencies(csv_text(rows).encode(), filename="ngay.csv")
    check_nothing_imported(
        result, before, file="ngay.csv", row=5, column="hieu_luc_tu", code="bad_date"
    )


def test_end_before_start(tmp_path):
    rows = [list(r) for r in GOOD_ROWS]
    rows[3][6] = "2019-12-31"
    before = snapshot()
    result = import_agencies(csv_text(rows).encode(), filename="ngay.csv")
    check_nothing_imported(
        result, before, file="ngay.csv", row=5, column="hieu_luc_den", code="bad_date"
    )


def test_bad_yes_no(tmp_path):
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][7] = "có lẽ"
    before = snapshot()
    result = import_agencies(csv_text(rows).encode(), filename="co_khong.csv")
    check_nothing_imported(
        result, before, file="co_khong.csv", row=4, column="thuoc_pham_vi_so_khcn", code="bad_value"
    )


def test_parent_cycle(tmp_path):
    rows = [
        ["A", "Đơn vị A", "department", "B", "Bắc Ninh", "2020-01-01", "", "x"],
        ["B", "Đơn vị B", "department", "A", "Bắc Ninh", "2020-01-01", "", "x"],
    ]
    before = snapshot()
    result = import_agencies(csv_text(rows).encode(), filename="vong.csv")
    check_nothing_imported(
        result, before, file="vong.csv", row=2, column="ma_cap_tren", code="parent_cycle"
    )


def test_broken_xlsx_that_is_not_a_zip(tmp_path):
    path = write(tmp_path, "hong.xlsx", b"this is not a workbook at all")
    before = snapshot()
    result = import_agencies(path)
    check_nothing_imported(result, before, file="hong.xlsx", row=None, column=None,
                           code="broken_file")  # fmt: skip


def test_truncated_xlsx(tmp_path):
    data = xlsx_bytes(GOOD_ROWS)
    path = write(tmp_path, "cat_cut.xlsx", data[: len(data) // 2])
    before = snapshot()
    result = import_agencies(path)
    check_nothing_imported(result, before, file="cat_cut.xlsx", row=None, column=None,
                           code="broken_file")  # fmt: skip


def test_old_xls_is_refused_with_advice(tmp_path):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    before = snapshot()
    result = import_agencies(data, filename="cu.xls")
    check_nothing_imported(result, before, file="cu.xls", row=None, column=None,
                           code="unsupported_format")  # fmt: skip


TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Encode like Excel on a Vietnamese Windows: base letters, then tone marks."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in TONES))
            out += base.encode("cp1258") + "".join(m for m in parts if m in TONES).encode("cp1258")
    return out


@pytest.mark.parametrize(
    "encode,column",
    [
        (windows_1258, "ten"),
        # cp1252 has no "ư": the first byte that is not UTF-8 is the "ó" of "có".
        (lambda text: text.encode("cp1252", errors="replace"), "thuoc_pham_vi_so_khcn"),
    ],
)
def test_csv_not_in_utf8(tmp_path, encode, column):
    path = write(tmp_path, "windows.csv", encode(csv_text(GOOD_ROWS)))
    before = snapshot()
    result = import_agencies(path)
    error = check_nothing_imported(
        result, before, file="windows.csv", row=2, column=column, code="encoding"
    )
    assert "UTF-8" in error.message


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path, data):
    before = snapshot()
    result = import_agencies(data, filename="rong.csv")
    check_nothing_imported(result, before, file="rong.csv", row=1, column=None, code="empty")


def test_headers_without_rows(tmp_path):
    before = snapshot()
    result = import_agencies(xlsx_bytes([]), filename="chi_tieu_de.xlsx")
    check_nothing_imported(result, before, file="chi_tieu_de.xlsx", row=2, column=None,
                           code="empty")  # fmt: skip


def test_file_over_the_size_limit(tmp_path, settings):
    settings.GOVQMS_MAX_IMPORT_BYTES = 100
    before = snapshot()
    path = write(tmp_path, "lon.xlsx", xlsx_bytes(GOOD_ROWS))
    result = import_agencies(path)
    check_nothing_imported(result, before, file="lon.xlsx", row=None, column=None,
                           code="too_large")  # fmt: skip
    upload = SimpleUploadedFile("lon.xlsx", xlsx_bytes(GOOD_ROWS))
    assert import_agencies(upload).errors[0].code == "too_large"


def test_new_name_or_parent_of_an_existing_unit_is_a_restructuring(tmp_path):
    assert import_agencies(xlsx_bytes(GOOD_ROWS), filename="v1.xlsx").ok
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][1] = "Sở Nội vụ (tên mới)"
    rows[4][3] = "BN"  # Vũ Ninh directly under the province
    before = snapshot()
    result = import_agencies(xlsx_bytes(rows), filename="v2.xlsx")
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (4, "ten", "structural_change"),
        (6, "ma_cap_tren", "structural_change"),
    ]
    assert snapshot() == before


def test_every_error_is_reported_at_once(tmp_path):
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][2] = "???"
    rows[1][5] = "hôm qua"
    rows[4][3] = "KHONG-CO"
    result = import_agencies(xlsx_bytes(rows), filename="nhieu_loi.xlsx")
    assert {(e.row, e.code) for e in result.errors} == {
        (2, "unknown_kind"),
        (3, "bad_date"),
        (6, "unknown_parent"),
    }
    assert Unit.objects.count() == 0


def test_an_actor_without_rights_is_refused_row_by_row(world):
    before = snapshot()
    rows = [
        ["P-X1", "Ủy ban nhân dân xã Tam Sơn", "xã", "P", "", "2021-01-01", "", "x"],
        ["Q-X1", "Ủy ban nhân dân xã Hữu Lũng", "xã", "Q", "", "2021-01-01", "", "x"],
    ]
    result = import_agencies(xlsx_bytes(rows), filename="quyen.xlsx", actor=world.dost_admin)
    assert [(e.row, e.column, e.code) for e in result.errors] == [(3, "ma_cap_tren", "permission")]
    assert snapshot() == before
    result = import_agencies(xlsx_bytes(rows[:1]), filename="quyen.xlsx", actor=world.a_head)
    assert result.errors[0].code == "permission"


def test_child_cannot_start_under_an_ended_parent(world):
    services.update_unit(None, world.b, valid_to=dt.date(2020, 12, 31))
    rows = [["P-B-1", "Phòng mới", "department", "P-B", "", "2022-01-01", "", "x"]]
    result = import_agencies(xlsx_bytes(rows), filename="het_han.xlsx")
    assert [(e.row, e.column, e.code) for e in result.errors] == [(2, "ma_cap_tren", "bad_date")]


def test_command(tmp_path, capsys):
    path = write(tmp_path, "don_vi.xlsx", xlsx_bytes(GOOD_ROWS))
    call_command("import_agencies", str(path), "--dry-run")
    assert Unit.objects.count() == 0
    call_command("import_agencies", str(path))
    assert Unit.objects.count() == 5
    bad = write(tmp_path, "hong.xlsx", b"broken")
    with pytest.raises(CommandError):
        call_command("import_agencies", str(bad))
    assert "hong.xlsx" in capsys.readouterr().err


def test_existing_units_are_not_touched_by_a_failed_import(world):
    make_unit("P-KEEP", "Ủy ban nhân dân xã Giữ Nguyên", parent=world.p)
    rows = [
        ["P-NEW2", "Ủy ban nhân dân xã Mới", "xã", "P", "", "2021-01-01", "", "x"],
        ["P-KEEP", "Ủy ban nhân dân xã Giữ Nguyên", "xã", "P", "", "2021-01-01", "", "không"],
        ["P-BAD", "Ủy ban nhân dân xã Lỗi", "xã", "P", "", "hôm nay", "", "x"],
    ]
    before = snapshot()
    result = import_agencies(xlsx_bytes(rows), filename="mot_phan.xlsx")
    assert [e.row for e in result.errors] == [4]
    assert snapshot() == before
    assert Unit.objects.get(code="P-KEEP").in_dost_remit

"""Criteria sets as XLSX: export, import, round trip, errors naming file, sheet, row
and column, nothing applied on an error, importing twice changes nothing."""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from govqms.assessments import criteria as services
from govqms.assessments.criteria_xlsx import export_set, import_set
from govqms.assessments.default_criteria import create_default_set
from govqms.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _content(cs):
    return (
        [(g.code, g.title, g.order) for g in cs.groups.order_by("order")],
        [
            (
                c.group.code,
                c.code,
                c.order,
                c.text,
                c.guidance,
                c.evidence_expected,
                c.max_points,
                c.rule,
                c.rule_params,
            )
            for c in cs.criteria.select_related("group").order_by("group__order", "order")
        ],
        [(b.band, b.min_points) for b in cs.bands.all()],
    )


def _book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(data: bytes, name="tieu_chi.xlsx"):
    return SimpleUploadedFile(name, data)


@pytest.fixture
def source(world):
    return create_default_set(world.dost_admin, owner=world.p, year=2021)


@pytest.fixture
def draft(world):
    return services.create_set(world.dost_admin, owner=world.p, year=2022, title="Nháp 2022")


def test_export_lists_criteria_and_bands(source):
    book = _book(export_set(source))
    criteria, bands = book.worksheets[0], book.worksheets[1]
    rows = list(criteria.iter_rows(values_only=True))
    assert len(rows[0]) == 9
    c12 = next(r for r in rows if r[2] == "1.2")
    assert c12[0] == "1" and c12[1].startswith("Xây dựng hệ thống tài liệu")
    assert c12[3].startswith("Phạm vi áp dụng HTQLCL") and c12[6] == 5
    assert c12[7] == "tthc_coverage" and json.loads(c12[8]) == {"full_at": 100}
    assert sum(r[6] for r in rows[1:] if r[2]) == 100
    band_rows = list(bands.iter_rows(values_only=True))[1:]
    assert [(r[1], r[2]) for r in band_rows] == [
        ("excellent", 90),
        ("good", 80),
        ("fair", 65),
        ("average", 50),
        ("weak", 0),
    ]


def test_round_trip_into_an_empty_draft(world, source, draft):
    data = export_set(source)
    result = import_set(world.dost_admin, draft, _upload(data))
    assert result.ok and result.applied, [str(e) for e in result.errors]
    assert result.created == 20 and result.deleted == 0
    assert _content(draft) == _content(source)
    assert (
        AuditEntry.objects.filter(action="criteria_set_import", object_id=str(draft.pk)).count()
        == 1
    )


def test_importing_the_same_file_twice_changes_nothing(world, source, draft):
    data = export_set(source)
    import_set(world.dost_admin, draft, _upload(data))
    pks = sorted(draft.criteria.values_list("pk", flat=True))
    content = _content(draft)
    entries = AuditEntry.objects.count()
    result = import_set(world.dost_admin, draft, _upload(data))
    assert result.ok and not result.changed
    assert result.unchanged == 20 and result.created == result.updated == result.deleted == 0
    assert result.summary() == "The file matches the set: nothing changed."
    assert _content(draft) == content
    assert sorted(draft.criteria.values_list("pk", flat=True)) == pks
    assert AuditEntry.objects.count() == entries


def test_an_edited_file_updates_adds_and_removes_by_code(world, source, draft):
    book = _book(export_set(source))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(min_row=2))
    # Row 2 is criterion 1.1: new text and 2,5 points (a decimal comma).
    rows[0][3].value = "Chính sách chất lượng được ban hành và niêm yết."
    rows[0][6].value = "2,5"
    # Remove 5.3 (the last row), add 5.4 in its place.
    last = next(r for r in rows if r[2].value == "5.3")
    last[2].value = "5.4"
    last[3].value = "Có sáng kiến cải tiến được công nhận."
    # The bands: excellent from 92.
    book.worksheets[1]["C2"] = 92
    result = import_set(world.dost_admin, source, _upload(_save(book)))
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.deleted) == (1, 1, 1)
    assert result.bands_changed
    c11 = source.criteria.get(code="1.1")
    assert c11.max_points == Decimal("2.5") and c11.text.endswith("niêm yết.")
    assert not source.criteria.filter(code="5.3").exists()
    assert source.criteria.get(code="5.4").group.code == "5"
    assert source.bands.get(band="excellent").min_points == Decimal("92")
    entry = AuditEntry.objects.filter(action="criteria_set_import", object_id=str(source.pk))
    assert entry.order_by("seq").last().changes["criteria_updated"] == [None, 1]


def test_one_bad_row_imports_nothing_and_names_file_sheet_row_and_column(world, source, draft):
    book = _book(export_set(source))
    sheet = book.worksheets[0]
    sheet_name = sheet.title
    sheet["G5"] = "năm"  # row 5: maximum points not a number
    result = import_set(world.dost_admin, draft, _upload(_save(book), "bo_tieu_chi.xlsx"))
    assert not result.ok and not result.applied
    assert len(result.errors) == 1
    text = str(result.errors[0])
    assert "bo_tieu_chi.xlsx" in text
    assert f"sheet “{sheet_name}”" in text
    assert "row 5" in text and "[G]" in text and "“năm”" in text
    assert result.errors[0].row == 5 and result.errors[0].column_letter == "G"
    assert draft.criteria.count() == 0 and draft.groups.count() == 0


def test_every_kind_of_error_is_reported_at_once(world, source, draft):
    book = _book(export_set(source))
    sheet = book.worksheets[0]
    sheet["C3"] = "1.1"  # duplicate code
    sheet["D4"] = None  # empty criterion
    sheet["H6"] = "no_such_rule"
    sheet["I7"] = "{not json"
    book.worksheets[1]["C3"] = 95  # good above excellent
    before = _content(source)
    result = import_set(world.dost_admin, source, _upload(_save(book)))
    assert not result.ok
    found = {(e.row, e.column_letter) for e in result.errors}
    assert {(3, "C"), (4, "D"), (6, "H"), (7, "I"), (3, "C")} <= found
    assert any(e.sheet == book.worksheets[1].title and e.row == 3 for e in result.errors)
    assert _content(source) == before


def test_missing_columns_and_sheets_and_other_files(world, draft):
    book = openpyxl.Workbook()
    book.active.append(["Mã nhóm", "Tên nhóm", "Mã tiêu chí", "Tiêu chí"])
    book.active.append(["1", "Nhóm", "1.1", "Tiêu chí"])
    result = import_set(world.dost_admin, draft, _upload(_save(book)))
    texts = [str(e) for e in result.errors]
    assert any("Maximum points" in t and "is missing" in t for t in texts)
    assert any("no second sheet" in t for t in texts)
    result = import_set(world.dost_admin, draft, _upload(b"a,b\n1,2\n", "tieu_chi.csv"))
    assert not result.ok and "not an .xlsx workbook" in str(result.errors[0])
    result = import_set(world.dost_admin, draft, _upload(b"PK\x03\x04broken", "x.xlsx"))
    assert not result.ok and result.errors[0].code == "broken_file"
    assert draft.criteria.count() == 0


def test_a_hand_made_workbook_with_vietnamese_headers(world, draft):
    book = openpyxl.Workbook()
    crit = book.active
    crit.title = "Tiêu chí"
    crit.append(["Mã nhóm", "Tên nhóm", "Mã tiêu chí", "Nội dung tiêu chí", "Điểm tối đa"])
    crit.append(["I", "Tài liệu", "I.1", "Có chính sách chất lượng", 40])
    crit.append(["I", None, "I.2", "Có mục tiêu chất lượng", "60"])
    bands = book.create_sheet("Xếp loại")
    bands.append(["Xếp loại", "Từ (điểm)"])
    for label, points in [("Xuất sắc", 90), ("Tốt", 75), ("Trung bình", 50), ("Yếu", 0)]:
        bands.append([label, points])
    result = import_set(world.dost_admin, draft, _upload(_save(book)))
    assert result.ok, [str(e) for e in result.errors]
    assert [c.code for c in draft.criteria.order_by("order")] == ["I.1", "I.2"]
    assert [(b.band, b.min_points) for b in draft.bands.all()] == [
        ("excellent", 90),
        ("good", 75),
        ("average", 50),
        ("weak", 0),
    ]
    assert services.publication_problems(draft) == []


def test_import_is_refused_on_a_published_set_and_to_officers(world, source):
    data = export_set(source)
    with pytest.raises(PermissionDenied):
        import_set(world.dost_officer, source, _upload(data))
    services.publish_set(world.dost_admin, source)
    with pytest.raises(ValidationError) as exc:
        import_set(world.dost_admin, source, _upload(data))
    assert exc.value.messages == ["A published criteria set is frozen."]


def test_import_page_shows_the_errors(world, client, source, draft):
    client.cookies["django_language"] = "en"
    client.force_login(world.dost_admin)
    book = _book(export_set(source))
    book.worksheets[0]["G4"] = -3
    url = reverse("criteria_set_import", args=[draft.pk])
    response = client.post(url, {"file": _upload(_save(book), "sai.xlsx")})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="import-errors"' in body
    assert "sai.xlsx" in body and "row 4" in body and "nothing was imported" in body
    assert draft.criteria.count() == 0
    response = client.post(url, {"file": _upload(export_set(source), "dung.xlsx")})
    assert response.status_code == 302 and draft.criteria.count() == 20
    export = client.get(reverse("criteria_set_export", args=[draft.pk]))
    assert export.status_code == 200
    assert _book(export.content).worksheets[0].max_row >= 21

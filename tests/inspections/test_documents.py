"""The DOCX forms read back with python-docx: the Decree 30/2020 layout and the
form's own wording."""

import io

import pytest
from docx import Document

from govqms.inspections import documents
from tests.inspections.factories import inspected, make_plan

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_decision_form_20(world):
    w = world
    inspection = inspected(w)
    text = _text(documents.decision_docx(inspection))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in text and "ỦY BAN NHÂN DÂN TỈNH BẮC NINH" in text
    assert "Số: 25/QĐ-SKHCN" in text
    assert "Bắc Ninh, ngày 01 tháng 4 năm 2026" in text
    assert "QUYẾT ĐỊNH" in text and "Thông tư số 26/2014/TT-BKHCN" in text
    assert "Phạm Minh Đức: Trưởng đoàn" in text
    assert "Ủy ban nhân dân phường Đức Giang vào ngày 15/04/2026" in text
    assert "GIÁM ĐỐC" in text


def test_minutes_form_21_in_two_copies(world):
    w = world
    inspection = inspected(w)
    text = _text(documents.minutes_docx(inspection))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "BIÊN BẢN KIỂM TRA" in text
    assert "Căn cứ Quyết định số 25/QĐ-SKHCN ngày 01 tháng 4 năm 2026" in text
    assert "Hôm nay, ngày 15 tháng 4 năm 2026" in text
    assert "Trần Thị Bình, thư ký ISO" in text
    assert "Chưa đánh giá nội bộ năm 2025" in text and "Điểm không phù hợp" in text
    assert "trước ngày 15/06/2026" in text
    assert "Biên bản được lập thành 02 bản có giá trị pháp lý như nhau, mỗi bên giữ 01 bản" in text
    assert "ĐẠI DIỆN CƠ QUAN ĐƯỢC KIỂM TRA" in text and "TRƯỞNG ĐOÀN KIỂM TRA" in text


def test_plan_form_19_lists_every_agency(world):
    w = world
    plan = make_plan(w)
    text = _text(documents.plan_docx(plan))
    assert "KẾ HOẠCH" in text and "năm 2026" in text
    for unit in (w.a, w.b, w.dost):
        assert unit.name in text
    assert "Kiểm tra tại cơ quan" in text and "Kiểm tra qua hồ sơ, báo cáo" in text
    assert "kiểm tra tại cơ quan đối với 1 cơ quan (33,3 % số cơ quan)" in text
    assert w.c.name not in text


def test_vietnamese_dates():
    import datetime as dt

    assert documents.vn_date(dt.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert documents.vn_date(dt.date(2026, 11, 28)) == "ngày 28 tháng 11 năm 2026"

"""The minutes in DOCX and PDF, read back."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from govqms.reviews import services
from tests.kpis.factories import VN
from tests.reviews.factories import held


def _review(w):
    review = held(
        w,
        held_at=dt.datetime(2026, 12, 15, 8, 30, tzinfo=VN),
        resources="Thiếu 01 công chức bộ phận một cửa.",
    )
    services.set_comment(w.a_head, review, "resources", "Đề nghị bổ sung biên chế năm 2027.")
    services.add_decision(
        w.a_secretary,
        review,
        kind="resource_need",
        text="Bổ sung 01 công chức bộ phận một cửa",
        owner=w.a_staff,
        due_date=dt.date(2027, 3, 31),
    )
    return review


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_minutes_docx(world, client):
    w = world
    review = _review(w)
    client.force_login(w.a_staff)
    response = client.get(reverse("review_minutes_docx", args=[w.a.pk, review.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _docx_text(response.content)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN",
        "Họp xem xét của lãnh đạo",
        w.a.name.upper(),
        "08 giờ 30 phút, ngày 15/12/2026",
        "Phòng họp tầng 2",
        "Người A head",  # chair
        "Người A staff",  # attendee
        "Đại diện Sở KH&CN",  # guest
        "Tình trạng của các hành động từ các lần xem xét của lãnh đạo trước đó",
        "Các cơ hội cải tiến",
        "Thiếu 01 công chức bộ phận một cửa.",
        "Đề nghị bổ sung biên chế năm 2027.",
        "Bổ sung 01 công chức bộ phận một cửa",
        "31/03/2027",
        "Nhu cầu về nguồn lực",
        "THƯ KÝ",
        "CHỦ TRÌ",
        "DỰ THẢO",  # minutes not issued yet
    ):
        assert expected in text, expected


def test_minutes_pdf_and_issued_minutes_drop_the_draft_mark(world, client, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    w = world
    review = _review(w)
    services.issue_minutes(w.a_secretary, review, number="12/BB-UBND")
    client.force_login(w.a_head)
    response = client.get(reverse("review_minutes_pdf", args=[w.a.pk, review.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BIÊN BẢN",
        "Số: 12/BB-UBND",
        "Người A head",
        "Đề nghị bổ sung biên chế năm 2027.",
        "Bổ sung 01 công chức bộ phận một cửa",
        "CHỦ TRÌ",
    ):
        assert expected in text, expected
    assert "DỰ THẢO" not in text
    docx = client.get(reverse("review_minutes_docx", args=[w.a.pk, review.pk]))
    assert "DỰ THẢO" not in _docx_text(docx.content)


def test_no_minutes_before_the_meeting(world, client):
    from tests.reviews.factories import plan

    review = plan(world)
    client.force_login(world.a_secretary)
    assert (
        client.get(reverse("review_minutes_pdf", args=[world.a.pk, review.pk])).status_code == 403
    )


def test_docx_cells_are_written_the_vietnamese_way():
    from govqms.reviews.minutes import _cell_text

    assert _cell_text("2026-07-06") == "06/07/2026"
    assert _cell_text(95.1) == "95,1"
    assert _cell_text(None) == "" and _cell_text("NC-2026-001") == "NC-2026-001"

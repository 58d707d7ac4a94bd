"""The audit report in DOCX and PDF, read back."""

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document

from govqms.audits import report, services
from govqms.audits.models import Grade
from tests.audits.factories import make_plan, moment, second_auditor

ARTIFACTS = Path("test-artifacts/audits")


@pytest.fixture
def done_plan(aw):
    other = second_auditor(aw)
    plan = make_plan(aw, team=[other], divisions=["Tư pháp - Hộ tịch"])
    lead = aw.users["a_internal_auditor"]
    services.start_audit(lead, plan, at=moment(dt.date(2026, 3, 10), 8, 10))
    process = plan.processes.first()
    services.record_finding(
        lead,
        plan,
        grade=Grade.MINOR,
        clause="8.5.1",
        process=process,
        description="Hai hồ sơ trả trễ hạn không có phiếu xin lỗi.",
    )
    services.record_finding(
        lead,
        plan,
        grade=Grade.OFI,
        clause="7.5.3",
        process=process,
        description="Nên số hóa sổ theo dõi hồ sơ.",
    )
    services.record_finding(
        lead,
        plan,
        grade=Grade.GOOD_PRACTICE,
        clause="9.1.2",
        process=None,
        description="Bộ phận Một cửa lấy ý kiến người dân hằng tháng.",
    )
    services.save_report_text(
        lead,
        plan,
        summary="Hệ thống được duy trì; còn một điểm không phù hợp nhẹ.",
        conclusion="HTQLCL phù hợp và được áp dụng có hiệu lực.",
    )
    services.complete_audit(lead, plan, at=moment(dt.date(2026, 3, 10), 16, 30))
    services.issue_report(aw.a_secretary, plan)
    plan.refresh_from_db()
    return plan


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_docx_report(done_plan, aw):
    data = report.render_docx(done_plan)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "bao-cao-danh-gia-noi-bo.docx").write_bytes(data)
    text = _docx_text(data)
    for expected in (
        "BÁO CÁO ĐÁNH GIÁ NỘI BỘ",
        aw.a.name.upper(),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Đánh giá nội bộ đợt 1 năm 2026",
        "08:10 10/03/2026",
        "Tư pháp - Hộ tịch",
        "8.5.1 ",
        "Không phù hợp nhẹ",
        "Cơ hội cải tiến",
        "Thực hành tốt",
        "Hai hồ sơ trả trễ hạn không có phiếu xin lỗi.",
        "Nên số hóa sổ theo dõi hồ sơ.",
        "HTQLCL phù hợp và được áp dụng có hiệu lực.",
        "TRƯỞNG ĐOÀN ĐÁNH GIÁ",
        str(aw.users["a_internal_auditor"]),
        "Đỗ Thị Giám",
        "Trưởng đoàn",
    ):
        assert expected in text, expected


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_report(done_plan, aw, tmp_path):
    data = report.render_pdf(done_plan)
    assert data.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "bao-cao-danh-gia-noi-bo.pdf").write_bytes(data)
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    for expected in (
        "BÁO CÁO ĐÁNH GIÁ NỘI BỘ",
        "Đánh giá nội bộ đợt 1 năm 2026",
        "Không phù hợp nhẹ (1)",
        "Cơ hội cải tiến (1)",
        "Hai hồ sơ trả trễ hạn không có phiếu xin lỗi.",
        "TRƯỞNG ĐOÀN ĐÁNH GIÁ",
        "Đỗ Thị Giám",
    ):
        assert expected in text, expected


def test_report_downloads(done_plan, aw, client):
    client.force_login(aw.a_staff)
    response = client.get(reverse("audit_report_docx", args=[done_plan.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.docx"')
    response = client.get(reverse("audit_report_pdf", args=[done_plan.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.force_login(aw.b_secretary)
    assert client.get(reverse("audit_report_pdf", args=[done_plan.pk])).status_code == 404


def test_review_inputs(done_plan, aw):
    from govqms.reviews.inputs import providers

    (audit_results,) = [
        p for p in providers("audit_results") if p.__module__.startswith("govqms.audits")
    ]
    section = audit_results(aw.a, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert section.figures["audits"] == 1
    assert section.figures["findings_minor"] == 1 and section.figures["findings_ofi"] == 1
    assert section.rows[0][0] == done_plan.title
    assert section.links[0]["url"] == reverse("audit_plan_detail", args=[done_plan.pk])
    empty = audit_results(aw.a, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert empty.figures["audits"] == 0 and not empty.rows
    assert audit_results(aw.b, dt.date(2026, 1, 1), dt.date(2026, 6, 30)).figures["audits"] == 0

    (ofi,) = [
        p
        for p in providers("improvement_opportunities")
        if p.__module__.startswith("govqms.audits")
    ]
    section = ofi(aw.a, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert section.rows == [
        [
            "Nên số hóa sổ theo dõi hồ sơ.",
            "7.5.3",
            str(done_plan.processes.first()),
            done_plan.title,
        ]
    ]
    assert section.as_dict()["links"][0]["url"].endswith(
        f"#finding-{done_plan.findings.get(grade='ofi').pk}"
    )

"""An agency's annual QMS report, compiled from its records: what it prints, who may
read it, and that an overseer's reading is logged where the agency sees it."""

import datetime as dt

import pytest
from django.urls import reverse

from govqms.core.models import AuditEntry
from govqms.organizations.models import Role
from govqms.oversight import report_agency
from tests.factories import make_user
from tests.oversight import factories as f
from tests.oversight.test_reports import docx_text, pdf_text, save_artifacts
from tests.oversight.test_reports_support import closed_campaign

pytestmark = pytest.mark.django_db


def records_of_b(w):
    head = make_user("b_head", "Ngô Thị Hiền", w.b, Role.HEAD)
    f.audit_plan(w.b, w.b_secretary, year=2025, findings=2)
    f.review(w.b, held_on=dt.date(2025, 12, 10))
    f.nonconformity(w.b, number="NC-01", detected=dt.date(2025, 3, 1))
    closed = f.nonconformity(w.b, number="NC-02", detected=dt.date(2025, 4, 1), closed=True)
    closed.closed_on = dt.date(2025, 5, 2)
    closed.save(update_fields=["closed_on"])
    f.objective(w.b, year=2025, title="Giải quyết hồ sơ đúng hạn")
    f.announce(w.b, w.b_secretary, on=dt.date(2024, 3, 1), number="12/QĐ-UBND")
    closed_campaign(w.p, 2025, [(w.b, "excellent"), (w.a, "good")])
    return head


def test_the_annual_report_compiles_the_agency_records(world):
    w = world
    head = records_of_b(w)
    data = report_agency.agency_year(w.b_secretary, w.b, 2025)
    assert (len(data.audits), data.audit_findings["minor"]) == (1, 2)
    assert (data.nc_opened, data.nc_closed, data.nc_open) == (2, 1, 1)
    assert len(data.reviews) == 1 and data.assessment.band == "excellent"
    assert [o["title"] for o in data.objectives] == ["Giải quyết hồ sơ đúng hạn"]
    doc = report_agency.official(data, today=dt.date(2026, 1, 10))
    from govqms.oversight import report_layout as L

    docx, pdf = L.render_docx(doc), L.render_pdf(doc)
    save_artifacts("bao-cao-nam-co-quan-2025", pdf, docx)
    word, printed = docx_text(docx), pdf_text(pdf)
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        w.b.name.upper(),
        "Bắc Ninh, ngày 31 tháng 12 năm 2025",
        "Kính gửi: Sở Khoa học và Công nghệ tỉnh Bắc Ninh.",
        "Đánh giá nội bộ 2025",
        "2 không phù hợp nhẹ",
        "Phát sinh 2 sự không phù hợp, đã khắc phục xong 1",
        "Xem xét của lãnh đạo 2025, ngày 10/12/2025",
        "Giải quyết hồ sơ đúng hạn",
        "Quyết định số 12/QĐ-UBND ngày 01/03/2024",
        "Kết quả đánh giá năm 2025: 92,5 điểm, xếp loại xuất sắc, xếp hạng 1.",
        "THỦ TRƯỞNG CƠ QUAN",
        head.full_name,
    ):
        assert text in word, text
        assert text in printed, text


def test_members_and_overseers_read_it_others_get_404(world, client):
    w = world
    records_of_b(w)
    url = reverse("agency_annual_report", args=[w.b.pk])
    client.force_login(w.b_secretary)
    page = client.get(url, {"year": 2025})
    assert page.status_code == 200 and "Đánh giá nội bộ 2025" in page.content.decode()
    docx = client.get(reverse("agency_annual_report_docx", args=[w.b.pk]), {"year": 2025})
    assert "Phát sinh 2 sự không phù hợp" in docx_text(docx.content)
    assert not AuditEntry.objects.filter(action="oversight_read", unit=w.b).exists()

    client.force_login(w.dost_officer)
    assert client.get(url, {"year": 2025}).status_code == 200
    assert AuditEntry.objects.filter(
        action="oversight_read", unit=w.b, actor=w.dost_officer, note="annual QMS report"
    ).exists()

    for user in (w.a_secretary, w.q_officer, w.c_secretary):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.username
        pdf = reverse("agency_annual_report_pdf", args=[w.b.pk])
        assert client.get(pdf).status_code == 404, user.username

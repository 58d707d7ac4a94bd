"""The provincial reports: the figures as the press report writes them, read back from
the DOCX (python-docx) and the PDF (pdftotext); the PAR index spreadsheet; the
register of issued reports; who may see and issue them."""

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from govqms.core.models import AuditEntry
from govqms.oversight import provincial_reports as P
from govqms.oversight import report_layout as L
from govqms.oversight import report_services
from govqms.oversight.models import IssuedReport
from tests.oversight.test_reports_support import agencies, closed_campaign, spread

pytestmark = pytest.mark.django_db

BANDS_2022 = {"excellent": 52, "good": 51, "fair": 58, "average": 3, "weak": 2}
BANDS_2021 = {"excellent": 34, "good": 60, "fair": 62, "average": 6, "weak": 4}


def docx_text(content: bytes) -> str:
    from docx import Document

    word = Document(io.BytesIO(content))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return re.sub(r"\s+", " ", "\n".join(parts))


def pdf_text(content: bytes) -> str:
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed"
    out = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True
    ).stdout
    return re.sub(r"\s+", " ", out.decode("utf-8"))


def save_artifacts(name: str, pdf: bytes, docx: bytes | None = None) -> None:
    """The files and the PDF's pages as PNG in test-artifacts/reports/, to look at."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.pdf").write_bytes(pdf)
    if docx is not None:
        (folder / f"{name}.docx").write_bytes(docx)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "70", "-png", str(folder / f"{name}.pdf"), str(folder / name)],
            check=True,
        )


def province_of_166(w):
    """The press report's province: 166 agencies, 2022 and 2021 campaigns."""
    units = [w.a, w.b] + agencies(w.p, 164)
    closed_campaign(w.p, 2022, spread(units, BANDS_2022))
    closed_campaign(w.p, 2021, spread(units, BANDS_2021))
    return units


def issue(w, **extra):
    values = {
        "owner": w.p,
        "kind": IssuedReport.Kind.NOVEMBER,
        "year": 2022,
        "number": "125/BC-SKHCN",
        "issued_on": dt.date(2022, 11, 25),
        "place": "Bắc Ninh",
        "authority": w.p.name,
        "issuer": "Sở Khoa học và Công nghệ",
        "addressee": w.p.name,
        "signer_name": "Nguyễn Văn Sáng",
        "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        "recipients": "UBND tỉnh (b/c)\nLưu: VT",
    }
    values.update(extra)
    return report_services.issue_report(w.dost_admin, **values)


def test_the_issued_report_prints_the_press_figures_in_docx_pdf_and_the_par_xlsx(world):
    w = world
    units = province_of_166(w)
    report = issue(w)

    expected = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "Số: 125/BC-SKHCN",
        "Bắc Ninh, ngày 25 tháng 11 năm 2022",
        "BÁO CÁO",
        "xuất sắc 52/166 (31,3 %)",
        "tốt 51/166 (30,7 %)",
        "khá 58/166 (34,9 %)",
        # 52/166 = 31,3 % against 34/166 = 20,5 % the year before.
        "So với năm 2021: xuất sắc tăng 10,8 điểm phần trăm (từ 20,5 % lên 31,3 %; +18 cơ quan)",
        "Nơi nhận:",
        "KT. GIÁM ĐỐC",
        "Nguyễn Văn Sáng",
        "chưa có kế hoạch kiểm tra",
    ]
    with report.docx_file.open("rb") as f:
        docx = f.read()
    word = docx_text(docx)
    with report.pdf_file.open("rb") as f:
        pdf = f.read()
    save_artifacts("bao-cao-thang-11-2022", pdf, docx)
    printed = pdf_text(pdf)
    for text in expected:
        assert text in word, text
        assert text in printed, text
    # The weak agencies are named, and every agency is in the annex.
    assert units[-1].name in word and units[-1].name in printed
    assert all(u.name in word for u in units)

    # The register keeps what was issued: hashes of the stored files, the figures.
    import hashlib

    assert report.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert report.summary["band_line"].startswith("xuất sắc 52/166 (31,3 %), tốt 51/166")
    assert [b["count"] for b in report.summary["bands"]] == [52, 51, 58, 3, 2]
    entry = AuditEntry.objects.get(action="provincial_report_issued")
    assert entry.actor == w.dost_admin and entry.unit == w.p
    assert entry.changes["number"] == [None, "125/BC-SKHCN"]

    # The PAR index: every agency with code, name, kind, scores, band and rank.
    import openpyxl

    data = P.year_data(w.dost_officer, 2022, owner=w.p)
    book = openpyxl.load_workbook(io.BytesIO(P.par_xlsx(data, w.p.name)))
    sheet = book.active
    header = [c.value for c in sheet[4]]
    assert header == P.PAR_HEADER
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=5)]
    assert len(rows) == 166
    assert {r[1] for r in rows} == {u.code for u in units}
    first = rows[0]
    assert first[2] == units[0].name and first[7] == 92.5 and first[8] == "Xuất sắc"
    assert first[9] == 1
    assert sheet.freeze_panes == "D5"
    assert sheet.cell(5, 8).number_format == "0.00"


def test_change_on_last_year_in_points_and_count(world):
    w = world
    units = [w.a, w.b] + agencies(w.p, 2)
    closed_campaign(w.p, 2022, spread(units, {"excellent": 2, "good": 1, "weak": 1}))
    closed_campaign(w.p, 2021, spread(units, {"excellent": 1, "good": 3}))
    data = P.year_data(w.dost_officer, 2022, owner=w.p)
    assert data.band_line == "xuất sắc 2/4 (50,0 %), tốt 1/4 (25,0 %), yếu 1/4 (25,0 %)"
    assert data.change_line == (
        "So với năm 2021: xuất sắc tăng 25,0 điểm phần trăm (từ 25,0 % lên 50,0 %; +1 cơ quan); "
        "tốt giảm 50,0 điểm phần trăm (từ 75,0 % xuống 25,0 %; −2 cơ quan); "
        "yếu tăng 25,0 điểm phần trăm (từ 0,0 % lên 25,0 %; +1 cơ quan)."
    )
    assert [r.unit for r in data.low] == [units[3]]
    # By kind of agency: all four are communes here.
    assert data.by_kind()[-1] == ["Tổng cộng", 2, 1, 0, 0, 1, 0, 4]


def test_agencies_without_a_final_result_count_in_the_whole_but_in_no_band(world):
    w = world
    closed_campaign(w.p, 2022, [(w.a, "excellent")], not_final=[w.b])
    data = P.year_data(w.dost_officer, 2022, owner=w.p)
    assert data.band_line == "xuất sắc 1/2 (50,0 %)"
    assert data.final_count == 1
    assert data.change_line == ""
    html = L.render_html(P.official(data, w.p, P.defaults(w.p, "dost_to_province", 2022)))
    assert "Năm 2021 chưa có kết quả để so sánh." in html


def test_inspection_results_from_the_year_plan(world):
    from govqms.inspections.models import Inspection, InspectionFinding, InspectionPlan

    w = world
    closed_campaign(w.p, 2022, [(w.a, "good"), (w.b, "fair")])
    plan = InspectionPlan.objects.create(
        owner=w.p, year=2022, title="Kế hoạch kiểm tra 2022", number="45/KH-SKHCN"
    )
    on_site = Inspection.objects.create(
        plan=plan,
        unit=w.a,
        mode=Inspection.Mode.ON_SITE,
        status=Inspection.Status.DONE,
        corrective_report_due=dt.date(2022, 9, 1),
    )
    Inspection.objects.create(
        plan=plan,
        unit=w.b,
        mode=Inspection.Mode.RECORDS,
        status=Inspection.Status.CLOSED,
        corrective_report_due=dt.date(2022, 9, 1),
        corrective_report_at=dt.datetime(2022, 8, 20, tzinfo=dt.UTC),
    )
    InspectionFinding.objects.create(inspection=on_site, text="Chưa cập nhật văn bản")
    InspectionFinding.objects.create(
        inspection=on_site, text="Nên số hóa hồ sơ", grade=InspectionFinding.Grade.OBSERVATION
    )
    data = P.year_data(w.dost_officer, 2022, owner=w.p, today=dt.date(2022, 11, 20))
    text = re.sub(r"\s+", " ", L.render_html(P.official(data, w.p, issue_meta(w))))
    assert "Theo Kế hoạch kiểm tra số 45/KH-SKHCN năm 2022" in text
    assert "kiểm tra 2 cơ quan, trong đó 1 cơ quan kiểm tra qua hồ sơ" in text
    assert "1 cơ quan kiểm tra trực tiếp tại cơ quan (50,0 %)" in text
    assert "2 phát hiện, trong đó 1 điểm không phù hợp và 1 khuyến nghị" in text
    assert "Đã nhận 1/2 báo cáo kết quả khắc phục đến hạn; 1 cơ quan chậm gửi" in text


def issue_meta(w):
    meta = P.defaults(w.p, IssuedReport.Kind.NOVEMBER, 2022)
    meta.update(number="125/BC-SKHCN", signer_name="Nguyễn Văn Sáng")
    return meta


def test_the_december_report_is_the_province_to_the_ministry(world):
    w = world
    closed_campaign(w.p, 2022, [(w.a, "excellent"), (w.b, "good")])
    meta = P.defaults(w.p, IssuedReport.Kind.DECEMBER, 2022, today=dt.date(2023, 1, 5))
    assert meta["issuer"] == w.p.name and meta["authority"] == ""
    assert meta["addressee"] == "Bộ Khoa học và Công nghệ"
    assert meta["issued_on"] == dt.date(2022, 12, 15)
    meta["number"] = "301/BC-UBND"
    data = P.year_data(w.dost_admin, 2022, owner=w.p)
    word = docx_text(L.render_docx(P.official(data, w.p, meta)))
    assert "ỦY BAN NHÂN DÂN TỈNH BẮC NINH" in word
    assert "Kính gửi: Bộ Khoa học và Công nghệ." in word
    assert "Số: 301/BC-UBND" in word and "Bắc Ninh, ngày 15 tháng 12 năm 2022" in word
    assert "TM. ỦY BAN NHÂN DÂN" in word
    assert "Ủy ban nhân dân tỉnh Bắc Ninh kính báo cáo Bộ Khoa học và Công nghệ./." in word


def test_place_and_date_as_decree_30_writes_them():
    assert L.place_date("Bắc Ninh", dt.date(2022, 11, 25)) == "Bắc Ninh, ngày 25 tháng 11 năm 2022"
    assert L.place_date("Bắc Ninh", dt.date(2023, 2, 5)) == "Bắc Ninh, ngày 05 tháng 02 năm 2023"
    assert L.place_date("Hà Nội", dt.date(2023, 3, 1)) == "Hà Nội, ngày 01 tháng 3 năm 2023"


def test_issuing_is_for_the_dost_administrator_and_checks_the_number(world):
    w = world
    closed_campaign(w.p, 2022, [(w.a, "excellent")])
    with pytest.raises(PermissionDenied):
        report_services.issue_report(
            w.dost_officer,
            owner=w.p,
            kind="dost_to_province",
            year=2022,
            number="1/BC",
            issued_on=dt.date(2022, 11, 25),
            place="Bắc Ninh",
            issuer="Sở",
            signer_name="A",
            signer_title="GIÁM ĐỐC",
        )
    with pytest.raises(ValidationError) as exc:
        issue(w, number="…/BC-SKHCN", issued_on=dt.date(2099, 1, 1), signer_name=" ")
    assert set(exc.value.message_dict) == {"number", "issued_on", "signer_name"}
    issue(w)
    with pytest.raises(ValidationError) as exc:
        issue(w)
    assert "number" in exc.value.message_dict
    assert IssuedReport.objects.count() == 1
    assert not AuditEntry.objects.filter(action="provincial_report_issued", actor=w.dost_officer)


# ---------------------------------------------------------------- pages


def test_the_reports_page_shows_the_year_and_the_register(world, client):
    w = world
    closed_campaign(w.p, 2022, [(w.a, "excellent"), (w.b, "weak")])
    closed_campaign(w.q, 2022, [(w.c, "good")])
    report = issue(w)
    client.force_login(w.dost_officer)
    response = client.get(reverse("oversight_reports"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "xuất sắc 1/2 (50,0 %), yếu 1/2 (50,0 %)" in body
    assert w.b.name in body and w.c.name not in body  # the weak agency, own province only
    assert "125/BC-SKHCN" in body
    assert reverse("oversight_report_issue") not in body  # officers do not issue

    download = client.get(reverse("oversight_reports"), {"download": report.pk, "as": "pdf"})
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    download = client.get(reverse("oversight_reports"), {"download": report.pk, "as": "docx"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "Số: 125/BC-SKHCN" in docx_text(download.content)

    # Another province's officer neither sees nor downloads it.
    client.force_login(w.q_officer)
    body = client.get(reverse("oversight_reports")).content.decode()
    assert "125/BC-SKHCN" not in body and w.b.name not in body
    response = client.get(reverse("oversight_reports"), {"download": report.pk})
    assert response.status_code == 404
    # Agencies do not see the provincial reports at all.
    client.force_login(w.b_secretary)
    assert client.get(reverse("oversight_reports")).status_code == 403
    response = client.get(reverse("oversight_reports"), {"download": report.pk})
    assert response.status_code == 403


def test_the_administrator_issues_from_the_page(world, client):
    w = world
    closed_campaign(w.p, 2022, [(w.a, "excellent"), (w.b, "good")])
    form = {
        "kind": "dost_to_province",
        "year": "2022",
        "number": "77/BC-SKHCN",
        "issued_on": "2022-11-25",
        "place": "Bắc Ninh",
        "authority": w.p.name,
        "issuer": "Sở Khoa học và Công nghệ",
        "addressee": w.p.name,
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "Lê Văn Ký",
        "recipients": "UBND tỉnh\nLưu: VT",
        "remarks": "",
    }
    client.force_login(w.dost_officer)
    assert client.post(reverse("oversight_report_issue"), form).status_code == 403
    client.force_login(w.dost_admin)
    page = client.get(reverse("oversight_report_issue"), {"kind": "dost_to_province", "year": 2022})
    assert page.status_code == 200 and "Sở Khoa học và Công nghệ" in page.content.decode()
    response = client.post(reverse("oversight_report_issue"), form)
    assert response.status_code == 302
    report = IssuedReport.objects.get()
    assert (report.number, report.signer_name, report.created_by) == (
        "77/BC-SKHCN",
        "Lê Văn Ký",
        w.dost_admin,
    )
    assert report.recipient_list() == ["UBND tỉnh", "Lưu: VT"]
    # The same number again: the form says so.
    response = client.post(reverse("oversight_report_issue"), form)
    assert response.status_code == 200 and "77/BC-SKHCN" in response.content.decode()
    assert IssuedReport.objects.count() == 1


def test_draft_preview_and_par_spreadsheet(world, client):
    w = world
    closed_campaign(w.p, 2022, [(w.a, "excellent"), (w.b, "average")])
    client.force_login(w.dost_officer)
    html = client.get(reverse("oversight_report_preview"), {"year": 2022}).content.decode()
    assert "DỰ THẢO" in html and "xuất sắc 1/2 (50,0 %)" in html
    draft = client.get(reverse("oversight_report_preview"), {"year": 2022, "format": "docx"})
    assert "DỰ THẢO" in docx_text(draft.content)
    par = client.get(reverse("oversight_report_par"), {"year": 2022})
    assert w.a.code in par.content.decode() and w.b.code in par.content.decode()
    xlsx = client.get(reverse("oversight_report_par"), {"year": 2022, "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.sp")
    client.force_login(w.a_secretary)
    assert client.get(reverse("oversight_report_par"), {"format": "xlsx"}).status_code == 403


# ---------------------------------------------------------------- API


def test_api_lists_issues_and_downloads(world, client):
    w = world
    closed_campaign(w.p, 2022, [(w.a, "excellent"), (w.b, "weak")])
    url = reverse("api-oversight-reports")
    payload = {
        "kind": "province_to_ministry",
        "year": 2022,
        "number": "301/BC-UBND",
        "issued_on": "2022-12-15",
        "place": "Bắc Ninh",
        "issuer": w.p.name,
        "signer_name": "Trần Chủ Tịch",
        "signer_title": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
        "recipients": "Bộ Khoa học và Công nghệ\nLưu: VT",
    }
    client.force_login(w.dost_officer)
    assert client.post(url, payload, content_type="application/json").status_code == 403
    client.force_login(w.dost_admin)
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["summary"]["band_line"] == "xuất sắc 1/2 (50,0 %), yếu 1/2 (50,0 %)"
    assert created["recipients"] == ["Bộ Khoa học và Công nghệ", "Lưu: VT"]

    client.force_login(w.dost_officer)
    listed = client.get(url).json()
    assert [r["number"] for r in listed["results"]] == ["301/BC-UBND"]
    pdf = client.get(url, {"download": created["id"], "as": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    results = client.get(reverse("api-oversight-report-results"), {"year": 2022}).json()
    assert [(r["code"], r["band"], r["rank"]) for r in results["results"]] == [
        (w.a.code, "excellent", 1),
        (w.b.code, "weak", 2),
    ]

    client.force_login(w.q_officer)
    assert client.get(url).json()["results"] == []
    assert client.get(url, {"download": created["id"]}).status_code == 404
    client.force_login(w.a_secretary)
    assert client.get(url).status_code == 403


def test_a_campaign_run_through_the_assessment_services_is_reported(world):
    """The report reads what the campaign services leave: the DoST appraises three
    agencies that never submitted, releases, the contest window passes, it closes."""
    from decimal import ROUND_HALF_UP, Decimal

    from govqms.assessments import services
    from govqms.assessments.criteria import publish_set
    from govqms.assessments.default_criteria import create_default_set
    from govqms.organizations.models import Unit

    w = world
    Unit.objects.filter(pk=w.dost.pk).update(in_dost_remit=False)
    (third,) = agencies(w.p, 1)
    cset = create_default_set(w.dost_admin, owner=w.p, year=2022)
    publish_set(w.dost_admin, cset)
    campaign = services.open_campaign(
        w.dost_admin,
        owner=w.p,
        year=2022,
        criteria_set=cset,
        reference_date=dt.date(2022, 9, 1),
        self_assessment_due=dt.date(2022, 10, 15),
        appraisal_due=dt.date(2022, 11, 10),
        today=dt.date(2022, 9, 1),
    )
    share = {w.a.pk: Decimal("1"), w.b.pk: Decimal("0.85"), third.pk: Decimal("0.4")}
    for a in campaign.assessments.all():
        entries = {
            s.criterion_id: {
                "points": (s.criterion.max_points * share[a.unit_id]).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP
                ),
                "reason": "Thẩm định theo hồ sơ",
            }
            for s in a.scores.select_related("criterion")
        }
        services.save_appraisal(w.dost_officer, a, entries, today=dt.date(2022, 10, 20))
        services.release_appraisal(w.dost_officer, a, today=dt.date(2022, 10, 20))
    services.finalize_uncontested(campaign, today=dt.date(2022, 11, 30))
    services.close_campaign(w.dost_admin, campaign, today=dt.date(2022, 12, 1))

    data = P.year_data(w.dost_officer, 2022, owner=w.p)
    assert data.band_line == "xuất sắc 1/3 (33,3 %), tốt 1/3 (33,3 %), yếu 1/3 (33,3 %)"
    assert [r.unit for r in data.rows] == [w.a, w.b, third]
    assert [r.unit for r in data.low] == [third]
    assert len(data.obligations.not_submitted) == 3
    html = re.sub(r"\s+", " ", L.render_html(P.official(data, w.p, issue_meta(w))))
    assert "xuất sắc 1/3 (33,3 %), tốt 1/3 (33,3 %), yếu 1/3 (33,3 %)" in html
    assert "Không gửi hồ sơ tự đánh giá: 3/3 (100,0 %) cơ quan" in html


def test_no_report_is_issued_without_a_dost_administrator(world):
    """Neither without a user (a script) nor by an anonymous one."""
    from django.contrib.auth.models import AnonymousUser

    w = world
    closed_campaign(w.p, 2022, [(w.a, "excellent")])
    for actor in (None, AnonymousUser(), w.a_head, w.q_officer):
        with pytest.raises(PermissionDenied):
            report_services.issue_report(
                actor,
                owner=w.p,
                kind="dost_to_province",
                year=2022,
                number=f"9/BC-{id(actor)}",
                issued_on=dt.date(2022, 11, 25),
                place="Bắc Ninh",
                issuer="Sở",
                signer_name="A",
                signer_title="GIÁM ĐỐC",
            )
    assert not IssuedReport.objects.exists()


def test_another_province_named_as_owner_shows_the_officers_own_province(world, client):
    """?owner=<another province> falls back to the officer's own province everywhere:
    the page, the draft, the PAR page and XLSX, the API and the issued files."""
    import openpyxl

    w = world
    closed_campaign(w.p, 2022, [(w.a, "excellent"), (w.b, "weak")])
    closed_campaign(w.q, 2022, [(w.c, "good")])
    report = issue(w)
    client.force_login(w.q_officer)
    other = {"year": 2022, "owner": w.p.pk}
    for name, extra in (
        ("oversight_reports", {}),
        ("oversight_report_preview", {}),
        ("oversight_report_preview", {"format": "docx"}),
        ("oversight_report_par", {}),
        ("api-oversight-report-results", {}),
        ("api-oversight-reports", {}),
    ):
        response = client.get(reverse(name), {**other, **extra})
        assert response.status_code == 200, name
        content = docx_text(response.content) if extra else response.content.decode()
        assert w.b.name not in content and w.b.code not in content, name
        assert "125/BC-SKHCN" not in content, name
    xlsx = client.get(reverse("oversight_report_par"), {**other, "format": "xlsx"})
    codes = [r[1] for r in openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.values]
    assert w.c.code in codes and w.a.code not in codes and w.b.code not in codes
    for name in ("oversight_reports", "api-oversight-reports"):
        response = client.get(reverse(name), {**other, "download": report.pk, "as": "pdf"})
        assert response.status_code == 404, name


def test_a_failed_issue_leaves_no_record_and_no_file(world, monkeypatch):
    from django.core.files.storage import default_storage
    from django.db import IntegrityError

    from govqms.core import audit

    w = world
    closed_campaign(w.p, 2022, [(w.a, "excellent")])
    saved = []
    original = default_storage.save

    def remember(name, content, **kwargs):
        saved.append(original(name, content, **kwargs))
        return saved[-1]

    monkeypatch.setattr(default_storage, "save", remember)
    for failure, expected in ((RuntimeError("disk"), RuntimeError), (IntegrityError(), None)):

        def fail(*args, failure=failure, **kwargs):
            raise failure

        monkeypatch.setattr(audit, "record", fail)
        with pytest.raises(expected or ValidationError) as exc:
            issue(w)
        if expected is None:
            assert "number" in exc.value.message_dict
    assert len(saved) == 4 and not any(default_storage.exists(name) for name in saved)
    assert not IssuedReport.objects.exists()

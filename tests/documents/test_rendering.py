"""A document version rendered as its official document: DOCX, PDF, HTML; the
downloads; the marks of withdrawn and draft versions."""

import io
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from django.urls import reverse
from docx.shared import Cm, Pt

from govqms.core.models import AuditEntry
from govqms.documents import rendering
from govqms.documents.models import DocumentKind, LegalDocument, VersionStatus
from govqms.documents.services import versions
from govqms.reports.http import ascii_filename
from tests.documents.factories import PROCEDURE, make_effective_procedure, make_procedure

WITHDRAWN = "HẾT HIỆU LỰC"
DRAFT = "DỰ THẢO"


# ---------------------------------------------------------------- helpers


def _cells_text(table) -> list[list[str]]:
    return [[cell.text.strip() for cell in row.cells] for row in table.rows]


def _docx_text(data: bytes) -> dict:
    """Body paragraphs, body tables (rows of cell texts) and the header's text."""
    document = docx.Document(io.BytesIO(data))
    header = document.sections[0].header
    header_text = "\n".join(p.text for p in header.paragraphs)
    for table in header.tables:
        header_text += "\n" + "\n".join(" | ".join(r) for r in _cells_text(table))
    return {
        "document": document,
        "paragraphs": [p.text for p in document.paragraphs],
        "tables": [_cells_text(t) for t in document.tables],
        "header": header_text,
    }


def _part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def _pdf_text(data: bytes) -> str | None:
    """The PDF's text, with pypdf or poppler's pdftotext; None when neither is here."""
    try:
        from pypdf import PdfReader
    except ImportError:
        PdfReader = None
    if PdfReader is not None:
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    if shutil.which("pdftotext"):
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
        )
        return result.stdout.decode("utf-8")
    return None


def _pdf_pages(data: bytes) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        PdfReader = None
    if PdfReader is not None:
        return len(PdfReader(io.BytesIO(data)).pages)
    if shutil.which("pdfinfo"):
        result = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
        return int(re.search(rb"Pages:\s+(\d+)", result.stdout).group(1))
    match = re.search(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)", data, re.S)
    return int(match.group(1)) if match else 0


def _supersede(world, document, old):
    new = versions.start_revision(
        world.a_secretary,
        document,
        description="Bổ sung tiếp nhận hồ sơ trực tuyến",
        request="Phòng Tư pháp",
        section="Mục 5.7",
    )
    versions.submit_for_review(world.a_secretary, new)
    versions.decide(world.a_secretary, new, approve=True)
    versions.decide(world.a_head, new, approve=True)
    versions.make_effective(world.a_secretary, new)
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == VersionStatus.SUPERSEDED and new.status == VersionStatus.EFFECTIVE
    return new


# ---------------------------------------------------------------- working time


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (1, "1 giờ"),
        (4, "4 giờ"),
        (0.5, "0,5 giờ"),
        ("2,5", "2,5 giờ"),
        (8, "1 ngày"),
        (12, "1,5 ngày"),
        (10, "1,25 ngày"),
        (40, "5 ngày"),
        (9, "9 giờ"),
        ("", ""),
        (None, ""),
        ("theo thực tế", "theo thực tế"),
    ],
)
def test_working_time_in_hours_then_days_of_eight_hours(hours, text):
    assert rendering.working_time(hours) == text


def test_ascii_file_names_keep_case_and_fold_vietnamese():
    assert ascii_filename("QT-01_lan-2.docx") == "QT-01_lan-2.docx"
    assert ascii_filename("QT-ĐK/Hộ tịch 01.pdf") == "QT-DK-Ho-tich-01.pdf"
    assert ascii_filename("../..") == "file"


# ---------------------------------------------------------------- DOCX


def test_docx_carries_code_issue_steps_and_signoffs(world):
    document, version = make_effective_procedure(world)
    found = _docx_text(rendering.render_docx(version))

    assert "Mã hiệu: QT-01" in found["header"]
    assert "Lần ban hành: 1" in found["header"]
    assert version.effective_from.strftime("%d/%m/%Y") in found["header"]
    assert "ỦY BAN NHÂN DÂN XÃ ĐÔNG PHONG" in found["header"]
    assert "QUY TRÌNH ĐĂNG KÝ KHAI SINH" in found["header"]

    rows = [row for table in found["tables"] for row in table]
    for step in PROCEDURE["steps"]:
        expected = [
            step["step"],
            step["name"],
            step["responsible"],
            rendering.working_time(step["hours"]),
            step["form"],
        ]
        assert expected in rows, expected
    # 1 + 4 + 2 + 1 hours: one working day in total.
    assert any(row[0] == "Tổng thời gian giải quyết" and "1 ngày" in row for row in rows)

    signoff = found["tables"][0]
    assert signoff[0] == ["", "Người soạn thảo", "Người xem xét", "Người phê duyệt"]
    names = dict(zip(signoff[0], signoff[1], strict=True))
    assert names["Người xem xét"] == world.a_secretary.full_name
    assert names["Người phê duyệt"] == world.a_head.full_name
    assert names["Người soạn thảo"] == ""  # submitted by the system: nobody signed it
    titles = dict(zip(signoff[0], signoff[2], strict=True))
    assert titles["Người xem xét"] and titles["Người phê duyệt"]

    texts = "\n".join(found["paragraphs"])
    for heading in ("1. MỤC ĐÍCH", "5.7. Quy trình xử lý công việc", "7. HỒ SƠ CẦN LƯU"):
        assert heading in texts
    assert PROCEDURE["purpose"] in texts
    assert ["1", "Tờ khai đăng ký khai sinh", "1", "", "1"] in rows  # dossier components
    assert ["1", "BM-01", "Tờ khai đăng ký khai sinh"] in rows  # forms
    assert ["1", "Sổ đăng ký khai sinh", "Công chức Tư pháp - Hộ tịch", "Vĩnh viễn"] in rows
    assert WITHDRAWN not in texts + found["header"] and DRAFT not in texts + found["header"]


def test_docx_page_fields_page_size_and_font(world):
    _, version = make_effective_procedure(world)
    data = rendering.render_docx(version)
    header = _part(data, "word/header1.xml")
    assert re.search(r"<w:instrText[^>]*> PAGE \\\* MERGEFORMAT </w:instrText>", header)
    assert re.search(r"<w:instrText[^>]*> NUMPAGES \\\* MERGEFORMAT </w:instrText>", header)
    for kind in ("begin", "separate", "end"):
        assert header.count(f'w:fldCharType="{kind}"') == 2
    assert "Trang: " in header

    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(13)
    assert document.core_properties.language == "vi-VN"
    # Every table has a fixed layout and its grid adds up to the text width (16 cm).
    body = _part(data, "word/document.xml")
    assert body.count("<w:tbl>") == body.count('<w:tblLayout w:type="fixed"/>')
    for table in document.tables:
        grid = table._tbl.tblGrid.findall(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}gridCol"
        )
        total = sum(int(col.get(f"{{{col.nsmap['w']}}}w")) for col in grid)
        assert abs(total - Cm(16).twips) < 20


def test_docx_of_a_superseded_version_says_no_longer_in_force(world):
    document, old = make_effective_procedure(world)
    new = _supersede(world, document, old)

    found = _docx_text(rendering.render_docx(old))
    assert found["paragraphs"][0] == WITHDRAWN
    first = found["document"].paragraphs[0].runs[0]
    assert first.bold and str(first.font.color.rgb) == "C00000"
    assert WITHDRAWN in found["header"]  # on every page

    current = _docx_text(rendering.render_docx(new))
    assert WITHDRAWN not in "\n".join(current["paragraphs"]) + current["header"]
    assert "Lần ban hành: 2" in current["header"]
    # The change log carries the revision, written when the new issue was started.
    change_rows = current["tables"][1]
    assert change_rows[0] == ["Yêu cầu sửa đổi", "Trang/Phần", "Mô tả", "Lần ban hành", "Ngày"]
    assert change_rows[1][:4] == [
        "Phòng Tư pháp",
        "Mục 5.7",
        "Bổ sung tiếp nhận hồ sơ trực tuyến",
        "2",
    ]


def test_drafts_are_marked_and_signoffs_that_no_longer_count_are_blank(world):
    document = make_procedure(world.a)
    version = document.versions.get()
    versions.submit_for_review(world.a_secretary, version)
    versions.decide(world.a_secretary, version, approve=True)
    version.refresh_from_db()

    block = {c["role"]: c for c in rendering.version_context(version)["signoffs"]}
    assert block["Người soạn thảo"]["name"] == world.a_secretary.full_name
    assert block["Người xem xét"]["name"] == world.a_secretary.full_name
    assert block["Người xem xét"]["time"]
    assert block["Người phê duyệt"]["name"] == ""

    found = _docx_text(rendering.render_docx(version))
    assert found["paragraphs"][0] == DRAFT and DRAFT in found["header"]

    # Returned, then changed: what was signed is no longer what is printed.
    versions.decide(world.a_head, version, approve=False, comment="Sửa bước 2")
    versions.edit_draft(world.a_secretary, version, content={**PROCEDURE, "fees": "50.000 đồng"})
    version.refresh_from_db()
    block = rendering.version_context(version)["signoffs"]
    assert all(c["name"] == "" and c["time"] == "" for c in block)


def test_legal_references_and_other_kinds_of_documents(world):
    law = LegalDocument.objects.create(
        number="123/2015/NĐ-CP", title="Quy định chi tiết Luật Hộ tịch"
    )
    other = LegalDocument.objects.create(
        number="87/2020/NĐ-CP", title="Cơ sở dữ liệu hộ tịch điện tử"
    )
    references = [*PROCEDURE["references"], "Nghị định 123/2015/NĐ-CP"]
    version = make_procedure(world.a, content={**PROCEDURE, "references": references})
    version = version.versions.get()
    version.legal_references.set([law, other])
    context = rendering.version_context(version)
    # The cited legal documents join section 3, each once.
    assert context["references"] == [*references, "87/2020/NĐ-CP: Cơ sở dữ liệu hộ tịch điện tử"]
    assert sorted(context["legal_documents"]) == [
        "123/2015/NĐ-CP: Quy định chi tiết Luật Hộ tịch",
        "87/2020/NĐ-CP: Cơ sở dữ liệu hộ tịch điện tử",
    ]

    policy = versions.create_document(
        world.a_secretary,
        unit=world.a,
        code="CS-01",
        title="Chính sách chất lượng",
        kind=DocumentKind.QUALITY_POLICY,
        content={"body": "Phục vụ người dân tận tình.\nKhông ngừng cải tiến."},
    )
    found = _docx_text(rendering.render_docx(policy.versions.get()))
    texts = "\n".join(found["paragraphs"])
    assert "Phục vụ người dân tận tình." in texts and "Không ngừng cải tiến." in texts
    assert "1. MỤC ĐÍCH" not in texts
    assert "Mã hiệu: CS-01" in found["header"]


# ---------------------------------------------------------------- HTML and PDF


def test_html_fragment_and_print_page(world):
    content = {**PROCEDURE, "purpose": "Dòng một <script>alert(1)</script>\nDòng hai"}
    version = make_procedure(world.a, content=content).versions.get()
    fragment = rendering.render_html(version)
    assert 'class="qms-doc qms-draft"' in fragment
    assert "<html" not in fragment and DRAFT in fragment
    assert "<script>alert" not in fragment and "&lt;script&gt;" in fragment
    assert "<p>Dòng hai</p>" in fragment
    for step in PROCEDURE["steps"]:
        assert step["name"] in fragment and step["responsible"] in fragment

    page = rendering.render_html(version, full=True)
    assert page.startswith("<!doctype html>") and "size: A4" in page
    assert "counter(pages)" in page and "QT-01" in page
    assert "http://" not in page and "https://" not in page  # self-contained


def test_pdf_renders_with_code_and_withdrawn_mark(world):
    document, old = make_effective_procedure(world)
    _supersede(world, document, old)
    data = rendering.render_pdf(old)
    assert data.startswith(b"%PDF")
    assert _pdf_pages(data) >= 1
    text = _pdf_text(data)
    if text is None:  # neither pypdf nor poppler here: the PDF is made of this page
        text = rendering.render_html(old, full=True, pdf=True)
    assert "QT-01" in text
    assert WITHDRAWN in text
    assert "Tiếp nhận hồ sơ" in text and "Người phê duyệt" in text
    if _pdf_text(data) is not None:
        assert re.search(r"Trang: 1/\d", text)


# ---------------------------------------------------------------- downloads


def test_downloads_for_the_agency(client, world):
    _, version = make_effective_procedure(world)
    client.force_login(world.a_staff)

    response = client.get(reverse("version_docx", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="QT-01_lan-1.docx"'
    assert "no-store" in response["Cache-Control"]
    docx.Document(io.BytesIO(response.content))

    response = client.get(reverse("version_pdf", args=[version.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="QT-01_lan-1.pdf"'
    assert response.content.startswith(b"%PDF")

    response = client.get(reverse("version_print", args=[version.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "QUY TRÌNH ĐĂNG KÝ KHAI SINH" in body and "Trang" in body


def test_downloads_refused_to_other_agencies_and_logged_for_overseers(client, world):
    _, version = make_effective_procedure(world)
    client.force_login(world.b_secretary)
    for name in ("version_docx", "version_pdf", "version_print"):
        assert client.get(reverse(name, args=[version.pk])).status_code == 404
    client.force_login(world.q_officer)
    assert client.get(reverse("version_docx", args=[version.pk])).status_code == 404

    client.force_login(world.dost_officer)
    before = AuditEntry.objects.filter(action="oversight_read", unit=world.a).count()
    assert client.get(reverse("version_docx", args=[version.pk])).status_code == 200
    entry = AuditEntry.objects.filter(action="oversight_read", unit=world.a).latest("seq")
    assert AuditEntry.objects.filter(action="oversight_read", unit=world.a).count() == before + 1
    assert "DOCX" in entry.note and entry.actor == world.dost_officer

    client.logout()
    response = client.get(reverse("version_pdf", args=[version.pk]))
    assert response.status_code == 302


def test_an_empty_procedure_renders_with_its_sections_saying_none(world):
    version = make_procedure(world.a, code="QT-02", content={"steps": [{"step": "B1"}]})
    version = version.versions.get()
    version.content = {}  # even content saved before the structure existed
    found = _docx_text(rendering.render_docx(version))
    assert "Không có." in found["paragraphs"]
    assert "5.7. Quy trình xử lý công việc" in found["paragraphs"]
    assert "Không có." in rendering.render_html(version)
    assert rendering.render_pdf(version).startswith(b"%PDF")

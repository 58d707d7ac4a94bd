"""Attachments: PDF, DOCX and XLSX checked by content; every bad upload refused with a
clear message and nothing stored; files served only to those who may see them."""

import hashlib
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from govqms.documents.models import Attachment, VersionStatus
from govqms.documents.services import attachments, versions
from tests.documents.factories import make_effective_procedure, make_procedure

MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def docx_bytes(text="Biên bản họp Ban chỉ đạo ISO") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Mã hồ sơ", "Ngày tiếp nhận"])
    workbook.active.append(["000.00.12.H04-250101-0001", "01/01/2025"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def repack(data: bytes, *, add=None, replace=None) -> bytes:
    """A copy of a ZIP package with parts added or rewritten."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if replace and info.filename in replace:
                body = replace[info.filename](body)
            dst.writestr(info, body)
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def docm_bytes() -> bytes:
    """A macro-enabled Word document (.docm): macro content type and a VBA project."""
    return repack(
        docx_bytes(),
        add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 60},
        replace={
            "[Content_Types].xml": lambda body: body.replace(
                b"wordprocessingml.document.main+xml",
                b"ms-word.document.macroEnabled.main+xml",
            )
        },
    )


def corrupt_crc(data: bytes) -> bytes:
    """A DOCX whose document part was damaged after packing (bad checksum)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        info = package.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    damaged = bytearray(data)
    for i in range(start + 10, start + 20):
        damaged[i] ^= 0xFF
    return bytes(damaged)


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are checked in English (the second language) so the tests read plainly."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def draft(world):
    return make_procedure(world.a).versions.get()


def upload(client, user, version, name, content, description=""):
    client.force_login(user)
    return client.post(
        reverse("version_attachments", args=[version.pk]),
        {"file": SimpleUploadedFile(name, content), "description": description},
    )


# ------------------------------------------------------------------ refused


BAD_UPLOADS = [
    ("Quyết định.exe.pdf", b"MZ\x90\x00\x03" + b"\0" * 200, "program"),
    ("biểu mẫu.docx", b"MZ\x90\x00\x03" + b"\0" * 200, "program"),
    ("run.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 100, "program"),
    ("Tờ trình.docx", "docm", "macros"),
    ("Tờ trình.docm", "docm", "macros"),
    ("Bảng theo dõi.xlsx", "xlsm", "macros"),
    ("Biên bản.docx", "vba_only", "macros"),
    ("Biên bản.docx", "content_type_only", "macros"),
    ("Báo cáo.docx", "truncated", "damaged"),
    ("Báo cáo.docx", "bad_crc", "damaged"),
    ("ảnh.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "only PDF"),
    ("ghi chú.txt", "Ghi chú: họp ngày 5/3".encode(), "only PDF"),
    ("tài liệu.docx", "plain_zip", "ZIP archive"),
    ("cũ.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Word"),
    ("hình.pdf", "docx", "content is Word"),
    ("trống.pdf", b"", "empty"),
]


def _content(spec):
    if isinstance(spec, bytes):
        return spec
    if spec == "docm":
        return docm_bytes()
    if spec == "xlsm":
        return repack(
            xlsx_bytes(),
            add={"xl/vbaProject.bin": b"\0" * 64},
            replace={
                "[Content_Types].xml": lambda b: b.replace(
                    b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
                )
            },
        )
    if spec == "vba_only":
        return repack(docx_bytes(), add={"word/vbaProject.bin": b"\0" * 64})
    if spec == "content_type_only":
        return repack(
            docx_bytes(),
            replace={
                "[Content_Types].xml": lambda b: b.replace(
                    b"wordprocessingml.document.main+xml",
                    b"ms-word.document.macroEnabled.main+xml",
                )
            },
        )
    if spec == "truncated":
        return docx_bytes()[:700]
    if spec == "bad_crc":
        return corrupt_crc(docx_bytes())
    if spec == "plain_zip":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("readme.txt", "không phải tài liệu Word")
        return out.getvalue()
    if spec == "docx":
        return docx_bytes()
    raise AssertionError(spec)


@pytest.mark.parametrize(("name", "spec", "reason"), BAD_UPLOADS)
def test_bad_upload_is_refused_with_a_clear_message_and_nothing_stored(
    world, draft, media, client, name, spec, reason
):
    response = upload(client, world.a_secretary, draft, name, _content(spec))
    assert response.status_code == 400
    body = response.content.decode()
    assert f"“{name}” was refused" in body
    assert reason in body
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_oversized_upload_is_refused_before_it_is_stored(world, draft, media, settings, client):
    settings.GOVQMS_MAX_ATTACHMENT_BYTES = 2048
    big = MINIMAL_PDF + b"%" + b"x" * 4096 + b"\n"
    response = upload(client, world.a_secretary, draft, "Bản quét lớn.pdf", big)
    assert response.status_code == 400
    body = response.content.decode()
    assert "“Bản quét lớn.pdf” was refused: it is larger than the limit of 2 KB." in body
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    # The service says the same with the size when called directly.
    with pytest.raises(ValidationError, match="it is 4 KB, larger than the limit of 2 KB"):
        attachments.add_attachment(world.a_secretary, draft, io.BytesIO(big), name="x.pdf")
    assert stored_files(media) == []


def test_default_limit_is_20_mb(settings):
    del settings.GOVQMS_MAX_ATTACHMENT_BYTES
    assert attachments.max_bytes() == 20 * 1024 * 1024


# ------------------------------------------------------------------ accepted


@pytest.mark.parametrize(
    ("name", "builder", "extension", "content_type"),
    [
        ("Quyết định ban hành (đã ký).pdf", lambda: MINIMAL_PDF, "pdf", "application/pdf"),
        ("Biểu mẫu BM-01.docx", docx_bytes, "docx", attachments.DOCX.content_type),
        ("Sổ theo dõi hồ sơ.XLSX", xlsx_bytes, "xlsx", attachments.XLSX.content_type),
    ],
)
def test_good_files_are_accepted(
    world, draft, media, client, name, builder, extension, content_type
):
    content = builder()
    response = upload(client, world.a_secretary, draft, name, content, "Bản quét có chữ ký")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.description == "Bản quét có chữ ký"
    assert attachment.uploaded_by == world.a_secretary
    # The stored name is random, never the user's, with the checked extension.
    stored = attachment.file.name.rsplit("/", 1)[-1]
    assert stored.endswith(f".{extension}") and len(stored) == 32 + 1 + len(extension)
    assert name.rsplit(".", 1)[0] not in attachment.file.name
    [path] = stored_files(media)
    assert path.read_bytes() == content
    # Listed with its size and SHA-256.
    page = client.get(reverse("version_attachments", args=[draft.pk])).content.decode()
    assert name in page and attachment.sha256 in page
    from govqms.core.models import AuditEntry

    entry = AuditEntry.objects.get(action="attachment_add")
    assert entry.unit == world.a and entry.changes["sha256"][1] == attachment.sha256


def test_a_path_in_the_file_name_is_dropped(world, draft, media):
    attachment = attachments.add_attachment(
        world.a_secretary, draft, io.BytesIO(MINIMAL_PDF), name="..\\..\\etc/Tờ trình.pdf"
    )
    assert attachment.original_name == "Tờ trình.pdf"
    assert ".." not in attachment.file.name


# ------------------------------------------------------------------ who may add and remove


def test_only_editors_may_attach(world, draft, media, client):
    for user in (world.a_staff, world.dost_officer):
        response = upload(client, user, draft, "a.pdf", MINIMAL_PDF)
        assert response.status_code == 403, user.username
    response = upload(client, world.b_secretary, draft, "a.pdf", MINIMAL_PDF)
    assert response.status_code == 404
    assert not Attachment.objects.exists() and stored_files(media) == []
    with pytest.raises(PermissionDenied):
        attachments.add_attachment(world.a_staff, draft, io.BytesIO(MINIMAL_PDF), name="a.pdf")
    # Staff see the list but no upload form.
    client.force_login(world.a_staff)
    page = client.get(reverse("version_attachments", args=[draft.pk])).content.decode()
    assert 'id="attachment-form"' not in page


def test_signed_scans_go_on_effective_versions_but_not_on_withdrawn_ones(world, media):
    document, version = make_effective_procedure(world)
    attachment = attachments.add_attachment(
        world.a_secretary, version, io.BytesIO(MINIMAL_PDF), name="Quyết định đã ký.pdf"
    )
    assert attachment.version == version
    # Removal only while draft.
    with pytest.raises(ValidationError, match="only while the version is a draft"):
        attachments.remove_attachment(world.a_secretary, attachment)
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    versions.withdraw(world.a_secretary, document, reason="Thủ tục bị bãi bỏ")
    version.refresh_from_db()
    assert version.status == VersionStatus.OBSOLETE
    with pytest.raises(ValidationError, match="no longer in force"):
        attachments.add_attachment(
            world.a_secretary, version, io.BytesIO(MINIMAL_PDF), name="b.pdf"
        )
    assert Attachment.objects.count() == 1


def test_removing_a_draft_attachment_removes_its_file(
    world, draft, media, client, django_capture_on_commit_callbacks
):
    attachment = attachments.add_attachment(
        world.a_secretary, draft, io.BytesIO(MINIMAL_PDF), name="nháp.pdf"
    )
    assert len(stored_files(media)) == 1
    client.force_login(world.a_staff)
    url = reverse("attachment_remove", args=[draft.pk, attachment.pk])
    assert client.post(url).status_code == 403
    client.force_login(world.a_secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


# ------------------------------------------------------------------ download


def test_download_is_for_those_who_may_see_the_document(world, draft, media, client):
    content = docx_bytes()
    attachment = attachments.add_attachment(
        world.a_secretary, draft, io.BytesIO(content), name='Biểu mẫu "BM-01"; x.docx'
    )
    url = reverse("attachment_download", args=[draft.pk, attachment.pk])
    for user in (world.a_staff, world.dost_officer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user.username
        assert b"".join(response.streaming_content) == content
        assert response["Content-Type"] == attachments.DOCX.content_type
        assert response["X-Content-Type-Options"] == "nosniff"
        # Quotes and semicolons of the user's name never reach the header.
        assert response["Content-Disposition"] == (
            "attachment; filename*=utf-8''Bi%E1%BB%83u%20m%E1%BA%ABu%20_BM-01_%20x.docx"
        )
    for user in (world.b_secretary, world.c_secretary, world.q_officer):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.username
        # Not even under another version's address.
        other = make_procedure(world.b, code=f"QT-{user.pk}").versions.get()
        wrong = reverse("attachment_download", args=[other.pk, attachment.pk])
        client.force_login(world.b_secretary)
        assert client.get(wrong).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_download_of_a_withdrawn_version_is_marked(world, media):
    document, version = make_effective_procedure(world)
    attachment = attachments.add_attachment(
        world.a_secretary, version, io.BytesIO(MINIMAL_PDF), name="Quyết định.pdf"
    )
    versions.withdraw(world.a_secretary, document, reason="Bãi bỏ")
    attachment.refresh_from_db()
    assert attachments.download_name(attachment).startswith("HET-HIEU-LUC_")

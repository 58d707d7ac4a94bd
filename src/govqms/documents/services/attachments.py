"""Attachments of a version (signed scans, forms): PDF, DOCX and XLSX only.

The type is decided by the content, never by the name: a PDF starts with `%PDF-`;
a DOCX or XLSX is a ZIP package with `[Content_Types].xml` and its main part
(`word/document.xml` or `xl/workbook.xml`), without macros. Everything else is
refused with a message naming the file and the reason, and nothing is stored. The
stored file gets a random name with the checked extension; the user's name is kept
for display only.
"""

import hashlib
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from govqms.core import audit

from ..models import Attachment, DocumentVersion, VersionStatus
from .versions import require

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A package may not unpack to more than this many times the limit (zip bombs).
MAX_UNPACK_RATIO = 10
MAX_ZIP_ENTRIES = 5000


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str


PDF = FileType("pdf", "application/pdf", "PDF")
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word (DOCX)",
)
XLSX = FileType(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel (XLSX)",
)
ACCEPTED = {t.extension: t for t in (PDF, DOCX, XLSX)}

# Well-known starts of files that are certainly not accepted, for a clearer message.
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MACROS = gettext_noop(
    "it contains macros. Macro-enabled Office files are not accepted: save it as DOCX, XLSX or PDF."
)


def max_bytes() -> int:
    return int(getattr(settings, "GOVQMS_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


def display_name(name: str | None) -> str:
    """The user's file name without any path, control characters or excess length."""
    base = PurePath(str(name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:200] or _("(no name)")


def _refuse(name: str, reason: str):
    return ValidationError(
        _("“%(name)s” was refused: %(reason)s") % {"name": name, "reason": reason},
        code="refused",
    )


def _size_of(fileobj) -> int:
    size = getattr(fileobj, "size", None)
    if size is None:
        position = fileobj.tell()
        fileobj.seek(0, 2)
        size = fileobj.tell()
        fileobj.seek(position)
    return size


def _check_package(fileobj, name: str, size: int) -> FileType:
    """A DOCX or XLSX: a sound ZIP package without macros."""
    try:
        package = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _refuse(name, _("the file is damaged (not a readable ZIP package).")) from None
    with package:
        infos = package.infolist()
        if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACK_RATIO * max(
            max_bytes(), size
        ):
            raise _refuse(name, _("the package unpacks to far more than its size."))
        names = {i.filename for i in infos}
        lower = {n.lower() for n in names}
        if any(n.rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml") for n in lower):
            raise _refuse(
                name,
                _(MACROS),
            )
        if "[Content_Types].xml" not in names:
            raise _refuse(name, _("it is a ZIP archive, not a Word or Excel document."))
        try:
            content_types = package.read("[Content_Types].xml")
            # Every part must unpack with a correct checksum.
            broken = package.testzip()
        except Exception:  # zlib.error, BadZipFile, encrypted or unsupported parts...
            broken = "?"
            content_types = b""
        if broken is not None:
            raise _refuse(name, _("the file is damaged (a part of the package cannot be read)."))
        if b"macroenabled" in content_types.lower():
            raise _refuse(
                name,
                _(MACROS),
            )
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    raise _refuse(
        name, _("it is an Office package but neither a Word (DOCX) nor an Excel (XLSX) document.")
    )


def check_file(fileobj, name: str) -> FileType:
    """The accepted type of this file, decided by its content; ValidationError otherwise."""
    name = display_name(name)
    size = _size_of(fileobj)
    limit = max_bytes()
    if size > limit:
        raise _refuse(
            name,
            _("it is %(size)s, larger than the limit of %(limit)s.")
            % {"size": human_size(size), "limit": human_size(limit)},
        )
    if size == 0:
        raise _refuse(name, _("the file is empty."))
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"PK\x03\x04"):
        kind = _check_package(fileobj, name, size)
        fileobj.seek(0)
    elif head.startswith(_EXECUTABLE_MAGIC):
        raise _refuse(name, _("it is a program or a script, not a document."))
    elif head.startswith(_OLE_MAGIC):
        raise _refuse(
            name,
            _(
                "old Word or Excel files (.doc, .xls) are not accepted: "
                "save it as DOCX, XLSX or PDF."
            ),
        )
    else:
        raise _refuse(name, _("only PDF, Word (DOCX) and Excel (XLSX) files are accepted."))
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix and suffix != kind.extension:
        raise _refuse(
            name,
            _("its name ends in .%(suffix)s but its content is %(kind)s. Rename it .%(ext)s.")
            % {"suffix": suffix, "kind": kind.label, "ext": kind.extension},
        )
    return kind


def _sha256(fileobj) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def download_name(attachment: Attachment) -> str:
    """A safe name to offer on download: letters, digits and a few signs, with the
    checked extension; marked "het-hieu-luc" when the version is no longer in force."""
    stem = PurePath(attachment.original_name).stem
    stem = unicodedata.normalize("NFC", stem)
    stem = re.sub(r"[^\w\-. ()]+", "_", stem, flags=re.UNICODE).strip(" ._") or "tep-dinh-kem"
    stem = stem[:100]
    extension = PurePath(attachment.file.name).suffix.lower() or ".bin"
    if attachment.version.is_withdrawn:
        stem = f"HET-HIEU-LUC_{stem}"
    return f"{stem}{extension}"


def can_add(user, version: DocumentVersion) -> bool:
    return not version.is_withdrawn and user.has_perm("documents.edit", version)


def can_remove(user, attachment: Attachment) -> bool:
    version = attachment.version
    return version.status == VersionStatus.DRAFT and user.has_perm("documents.edit", version)


@transaction.atomic
def add_attachment(
    actor, version: DocumentVersion, fileobj, *, name: str, description: str = ""
) -> Attachment:
    """Attach a checked file to any version still in force or in progress (signed scans
    come after approval). Nothing is stored if the file is refused."""
    require(actor, "documents.edit", version)
    version = (
        DocumentVersion.objects.select_for_update()
        .select_related("document__unit")
        .get(pk=version.pk)
    )
    if version.is_withdrawn:
        raise ValidationError(
            _("This version is no longer in force: nothing can be attached to it.")
        )
    original = display_name(name)
    kind = check_file(fileobj, original)
    size = _size_of(fileobj)
    attachment = Attachment(
        version=version,
        original_name=original,
        content_type=kind.content_type,
        size=size,
        sha256=_sha256(fileobj),
        description=description.strip()[:300],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    fileobj.seek(0)
    attachment.file.save(f"{secrets.token_hex(16)}.{kind.extension}", File(fileobj), save=False)
    try:
        attachment.save()
        audit.record(
            actor=actor,
            action="attachment_add",
            obj=attachment,
            unit=version.document.unit,
            changes={
                "version": [None, str(version)],
                "original_name": [None, original],
                "size": [None, size],
                "sha256": [None, attachment.sha256],
            },
        )
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def remove_attachment(actor, attachment: Attachment) -> None:
    """Remove an attachment of a draft; the file goes once the removal is committed."""
    version = attachment.version
    require(actor, "documents.edit", version)
    version = (
        DocumentVersion.objects.select_for_update()
        .select_related("document__unit")
        .get(pk=version.pk)
    )
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Attachments can be removed only while the version is a draft."))
    storage, file_name = attachment.file.storage, attachment.file.name
    audit.record(
        actor=actor,
        action="attachment_remove",
        obj=attachment,
        unit=version.document.unit,
        changes={
            "original_name": [attachment.original_name, None],
            "sha256": [attachment.sha256, None],
        },
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(file_name))

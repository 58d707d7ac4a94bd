"""Attachments of a version (signed scans, forms): PDF, DOCX and XLSX only.

The type is decided by the content, never by the name: a PDF starts with `%PDF-`;
a DOCX or XLSX is a ZIP package with `[Content_Types].xml` and its main part
(`word/document.xml` or `xl/workbook.xml`), without macros. Everything else is
refused with a message naming the file and the reason, and nothing is stored. The
stored file gets a random name with the checked extension; the user's name is kept
for display only.
"""

import re
import unicodedata
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govqms.core import audit, files
from govqms.core.files import DOCX, PDF, XLSX, FileType, display_name, human_size  # noqa: F401

from ..models import Attachment, DocumentVersion, VersionStatus
from .versions import require

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_bytes() -> int:
    return files.setting_bytes("GOVQMS_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES)


def check_file(fileobj, name: str) -> FileType:
    """The accepted type of this file, decided by its content; ValidationError otherwise."""
    return files.check_file(fileobj, name, limit=max_bytes())


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
    size = files.size_of(fileobj)
    attachment = Attachment(
        version=version,
        original_name=original,
        content_type=kind.content_type,
        size=size,
        sha256=files.sha256(fileobj),
        description=description.strip()[:300],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    files.store(attachment.file, fileobj, kind)
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

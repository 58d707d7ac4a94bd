"""Files of internal audit (certificates, evidence): PDF, DOCX, XLSX, JPEG or PNG,
the type decided by the content (never by the name), within a size limit."""

import hashlib
import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from govqms.documents.services import attachments
from govqms.documents.services.attachments import FileType, display_name, human_size

JPEG = FileType("jpg", "image/jpeg", "JPEG")
PNG = FileType("png", "image/png", "PNG")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "GOVQMS_MAX_AUDIT_FILE_BYTES", DEFAULT_MAX_BYTES))


def _refuse(name, reason):
    return ValidationError(
        _("“%(name)s” was refused: %(reason)s") % {"name": name, "reason": reason},
        code="refused",
    )


def _size(fileobj) -> int:
    size = getattr(fileobj, "size", None)
    if size is None:
        position = fileobj.tell()
        fileobj.seek(0, 2)
        size = fileobj.tell()
        fileobj.seek(position)
    return size


def check(fileobj, name: str) -> FileType:
    name = display_name(name)
    size = _size(fileobj)
    if size > max_bytes():
        raise _refuse(
            name,
            _("it is %(size)s, larger than the limit of %(limit)s.")
            % {"size": human_size(size), "limit": human_size(max_bytes())},
        )
    if size == 0:
        raise _refuse(name, _("the file is empty."))
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    kind = None
    if head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    if kind is None:
        try:
            return attachments.check_file(fileobj, name)
        except ValidationError:
            if not head.startswith((b"%PDF-", b"PK\x03\x04")):
                raise _refuse(
                    name,
                    _("only PDF, Word (DOCX), Excel (XLSX), JPEG and PNG files are accepted."),
                ) from None
            raise
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix == "jpeg":
        suffix = "jpg"
    if suffix and suffix != kind.extension:
        raise _refuse(
            name,
            _("its name ends in .%(suffix)s but its content is %(kind)s. Rename it .%(ext)s.")
            % {"suffix": suffix, "kind": kind.label, "ext": kind.extension},
        )
    return kind


def sha256(fileobj) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def store(field, fileobj, kind: FileType) -> None:
    """Save under a random name with the checked extension (Django storage)."""
    fileobj.seek(0)
    field.save(f"{secrets.token_hex(16)}.{kind.extension}", File(fileobj), save=False)

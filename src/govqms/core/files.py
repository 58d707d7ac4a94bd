"""Uploaded files: the checks every app makes before storing one.

The type is decided by the content, never by the name: a PDF starts with `%PDF-`;
a DOCX or XLSX is a ZIP package with `[Content_Types].xml` and its main part
(`word/document.xml` or `xl/workbook.xml`), without macros; JPEG and PNG (when the
caller accepts images) by their signatures. Everything else is refused with a message
naming the file and the reason. The stored file gets a random name with the checked
extension; the user's name is kept for display only.
"""

import hashlib
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


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
JPEG = FileType("jpg", "image/jpeg", "JPEG")
PNG = FileType("png", "image/png", "PNG")

# A package may not unpack to more than this many times the limit (zip bombs),
# and never less than this floor.
MAX_UNPACK_RATIO = 10
MIN_UNPACK_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000

# Well-known starts of files that are certainly not accepted, for a clearer message.
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MACROS = gettext_noop(
    "it contains macros. Macro-enabled Office files are not accepted: save it as DOCX, XLSX or PDF."
)


def setting_bytes(name: str, default: int) -> int:
    """A size limit from settings (tests override them)."""
    return int(getattr(settings, name, default))


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


def refuse(name: str, reason: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” was refused: %(reason)s") % {"name": name, "reason": reason},
        code="refused",
    )


def size_of(fileobj) -> int:
    size = getattr(fileobj, "size", None)
    if size is None:
        position = fileobj.tell()
        fileobj.seek(0, 2)
        size = fileobj.tell()
        fileobj.seek(position)
    return size


def _check_package(fileobj, name: str, size: int, limit: int) -> FileType:
    """A DOCX or XLSX: a sound ZIP package without macros."""
    try:
        package = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise refuse(name, _("the file is damaged (not a readable ZIP package).")) from None
    with package:
        infos = package.infolist()
        unpack_limit = max(MIN_UNPACK_BYTES, MAX_UNPACK_RATIO * max(limit, size))
        if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > unpack_limit:
            raise refuse(name, _("the package unpacks to far more than its size."))
        names = {i.filename for i in infos}
        lower = {n.lower() for n in names}
        if any(n.rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml") for n in lower):
            raise refuse(name, _(MACROS))
        if "[Content_Types].xml" not in names:
            raise refuse(name, _("it is a ZIP archive, not a Word or Excel document."))
        try:
            content_types = package.read("[Content_Types].xml")
            # Every part must unpack with a correct checksum.
            broken = package.testzip()
        except Exception:  # zlib.error, BadZipFile, encrypted or unsupported parts...
            broken = "?"
            content_types = b""
        if broken is not None:
            raise refuse(name, _("the file is damaged (a part of the package cannot be read)."))
        if b"macroenabled" in content_types.lower():
            raise refuse(name, _(MACROS))
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    raise refuse(
        name, _("it is an Office package but neither a Word (DOCX) nor an Excel (XLSX) document.")
    )


def check_file(fileobj, name: str, *, limit: int, images: bool = False) -> FileType:
    """The accepted type of this file (PDF, DOCX, XLSX; JPEG and PNG too with
    `images`), decided by its content and within `limit` bytes; ValidationError
    otherwise."""
    name = display_name(name)
    size = size_of(fileobj)
    if size > limit:
        raise refuse(
            name,
            _("it is %(size)s, larger than the limit of %(limit)s.")
            % {"size": human_size(size), "limit": human_size(limit)},
        )
    if size == 0:
        raise refuse(name, _("the file is empty."))
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if images and head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif images and head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"PK\x03\x04"):
        kind = _check_package(fileobj, name, size, limit)
        fileobj.seek(0)
    elif images:
        raise refuse(
            name, _("only PDF, Word (DOCX), Excel (XLSX), JPEG and PNG files are accepted.")
        )
    elif head.startswith(_EXECUTABLE_MAGIC):
        raise refuse(name, _("it is a program or a script, not a document."))
    elif head.startswith(_OLE_MAGIC):
        raise refuse(
            name,
            _(
                "old Word or Excel files (.doc, .xls) are not accepted: "
                "save it as DOCX, XLSX or PDF."
            ),
        )
    else:
        raise refuse(name, _("only PDF, Word (DOCX) and Excel (XLSX) files are accepted."))
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix == "jpeg" and kind == JPEG:
        suffix = "jpg"
    if suffix and suffix != kind.extension:
        raise refuse(
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
    """Save under a random name with the checked extension (Django storage), without
    saving the model."""
    fileobj.seek(0)
    field.save(f"{secrets.token_hex(16)}.{kind.extension}", File(fileobj), save=False)

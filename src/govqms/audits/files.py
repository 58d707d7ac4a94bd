"""Files of internal audit (certificates, evidence): PDF, DOCX, XLSX, JPEG or PNG,
the type decided by the content (never by the name), within a size limit."""

from govqms.core import files
from govqms.core.files import FileType, display_name, sha256, size_of, store  # noqa: F401

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    return files.setting_bytes("GOVQMS_MAX_AUDIT_FILE_BYTES", DEFAULT_MAX_BYTES)


def check(fileobj, name: str) -> FileType:
    return files.check_file(fileobj, name, limit=max_bytes(), images=True)

"""Download responses for rendered files."""

import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from govqms.core.text import fold

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_filename(name: str) -> str:
    """A file name safe everywhere: Vietnamese letters folded to ASCII (case kept),
    anything else but letters, digits, '.', '_' and '-' turned into '-'."""
    folded = "".join(
        (fold(ch).upper() if ch.isupper() else fold(ch)) if not ch.isascii() else ch for ch in name
    )
    folded = _UNSAFE.sub("-", folded).strip("-.")
    return re.sub(r"-{2,}", "-", folded) or "file"


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """`content` served as a download named `filename` (ASCII-folded)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=ascii_filename(filename)
    )
    response["Content-Length"] = str(len(content))
    # Internal records: never kept by shared caches.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

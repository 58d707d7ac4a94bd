"""Isolation cases of a version's attachments (documents/urls_attachments.py)."""

import io

from govqms.documents.models import Document
from govqms.documents.services import attachments
from tests.documents.factories import make_procedure
from tests.isolation import AGENCY, MANAGE, Route

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _version(target):
    code = f"QT-ATT-{target.code}"
    document = Document.objects.filter(unit=target, code=code).first() or make_procedure(
        target, code=code, title="Quy trình cấp bản sao trích lục"
    )
    return document.versions.get()


def _attach(version):
    return attachments.add_attachment(
        None, version, io.BytesIO(PDF), name="Biên bản ký.pdf", description="Bản quét"
    )


def _version_pk(w, target):
    return {"pk": _version(target).pk}


def _attachment(w, target):
    version = _version(target)
    attachment = version.attachments.first() or _attach(version)
    return {"pk": version.pk, "attachment_pk": attachment.pk}


def _fresh_attachment(w, target):
    """Each call removes one, so each call gets its own."""
    version = _version(target)
    return {"pk": version.pk, "attachment_pk": _attach(version).pk}


ROUTES = {
    "version_attachments": Route(AGENCY, _version_pk),
    "attachment_download": Route(AGENCY, _attachment),
    "attachment_remove": Route(MANAGE, _fresh_attachment, method="post"),
}

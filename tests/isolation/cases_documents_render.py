"""Isolation cases of a version's rendering (documents/urls_render.py): DOCX, PDF and
the print page are an agency's internal records."""

from govqms.documents.models import Document
from tests.documents.factories import make_procedure
from tests.isolation import AGENCY, Route

CODE = "QT-RENDER"


def _version(w, target):
    """The target's procedure, made once (the case calls this for every user)."""
    document = Document.objects.filter(unit=target, code=CODE).first() or make_procedure(
        target, code=CODE
    )
    return {"pk": document.versions.get().pk}


ROUTES = {
    "version_docx": Route(AGENCY, _version),
    "version_pdf": Route(AGENCY, _version),
    "version_print": Route(AGENCY, _version),
}

"""Downloads of a document version as its official document: DOCX, PDF and a print
page. Reads go through the selectors (404 outside the user's agencies, overseers'
reads logged for the agency)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from govqms.reports import http

from . import rendering
from .selectors import documents as selectors


def _filename(version, extension: str) -> str:
    # "lan" is "lần" (issue): QT-01_lan-2.docx
    return f"{version.document.code}_lan-{version.issue_no}.{extension}"


@login_required
def version_docx(request, pk):
    version = selectors.get_version(request.user, pk, what="document version (DOCX)")
    return http.attachment(rendering.render_docx(version), _filename(version, "docx"), http.DOCX)


@login_required
def version_pdf(request, pk):
    version = selectors.get_version(request.user, pk, what="document version (PDF)")
    return http.attachment(rendering.render_pdf(version), _filename(version, "pdf"), http.PDF)


@login_required
def version_print(request, pk):
    version = selectors.get_version(request.user, pk, what="document version (print)")
    response = HttpResponse(rendering.render_html(version, full=True))
    response["Cache-Control"] = "private, no-store"
    return response

"""Isolation cases of the documents API (/api/documents/, /api/versions/, ...)."""

from govqms.documents.models import Document, LegalDocument, VersionStatus
from govqms.documents.services import versions
from tests.documents.factories import make_procedure
from tests.isolation import AGENCY, LIST, MANAGE, SELF, Route, target_secretary


def _document(target, code="QT-01"):
    """The target agency's procedure (created once, reused by every call)."""
    return Document.objects.filter(unit=target, code=code).first() or make_procedure(
        target, code=code
    )


def _document_kwargs(w, target):
    return {"pk": _document(target).pk}


def _version_kwargs(w, target):
    return {"pk": _document(target).versions.get().pk}


def _draft(w, target):
    return {"pk": _document(target, "QT-DRAFT").versions.get().pk}


def _in_review(w, target):
    version = _document(target, "QT-REVIEW").versions.get()
    if version.status == VersionStatus.DRAFT:
        versions.submit_for_review(None, version)
    return {"pk": version.pk}


def _effective(w, target):
    """An effective version the target's ISO secretary must read. The agency's one
    sign-off step is the ISO secretary's, so no new member (head) is needed."""
    version = _document(target, "QT-READ").versions.get()
    if version.status == VersionStatus.DRAFT:
        versions.configure_steps(None, target, [("Approved", "iso_secretary")])
        versions.submit_for_review(None, version)
        versions.decide(target_secretary(w, target), version, approve=True)
        versions.make_effective(None, version)
    return {"pk": version.pk}


def _legal(w, target):
    legal, _ = LegalDocument.objects.get_or_create(
        number="61/2018/NĐ-CP",
        defaults={"title": "Nghị định về thực hiện cơ chế một cửa, một cửa liên thông"},
    )
    return {"pk": legal.pk}


def _listed(w, target):
    _document(target)  # so that the agency itself sees its code in the list
    return {}


ROUTES = {
    "api-document-list": Route(LIST, _listed),
    "api-document-detail": Route(AGENCY, _document_kwargs),
    "api-document-versions": Route(AGENCY, _document_kwargs),
    "api-version-detail": Route(AGENCY, _version_kwargs),
    "api-version-signoffs": Route(AGENCY, _version_kwargs),
    "api-version-submit": Route(MANAGE, _draft, method="post"),
    "api-version-decide": Route(
        MANAGE, _in_review, method="post", data=lambda w, t: {"approve": True}
    ),
    # The caller's own read task: only the person asked to read it may confirm.
    "api-version-acknowledge": Route(MANAGE, _effective, method="post"),
    "api-acknowledgement-list": Route(SELF),
    # The shared legal register: any signed-in user, no agency records.
    "api-legal-document-list": Route(SELF),
    "api-legal-document-detail": Route(SELF, _legal),
}

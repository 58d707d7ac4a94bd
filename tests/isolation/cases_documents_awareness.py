"""Isolation cases of read tasks, reading progress and periodic reviews."""

import datetime as dt

from govqms.documents.models import Acknowledgement, Document, DocumentKind, VersionStatus
from govqms.documents.services import versions
from govqms.organizations.models import Role
from tests.isolation import AGENCY, MANAGE, OVERSIGHT, SELF, Route, target_secretary


def effective_document(w, target, code="QT-DOC"):
    """A document of `target` in force (signed by its ISO secretary alone), with read
    tasks for its members and its review overdue. Built once per agency."""
    document = Document.objects.filter(unit=target, code=code).first()
    if document is None:
        document = versions.create_document(
            None,
            unit=target,
            code=code,
            title="Quy trình kiểm soát tài liệu",
            kind=DocumentKind.SYSTEM_PROCEDURE,
        )
        version = document.versions.get()
        versions.configure_steps(None, target, [("Reviewed", Role.ISO_SECRETARY)])
        versions.submit_for_review(None, version)
        versions.decide(target_secretary(w, target), version, approve=True)
        versions.make_effective(None, version, effective_from=dt.date(2024, 1, 1))
        Document.objects.filter(pk=document.pk).update(next_review_due=dt.date(2025, 1, 1))
    return document, document.versions.get(status=VersionStatus.EFFECTIVE)


def _version(w, target):
    return {"pk": effective_document(w, target)[1].pk}


def _document(w, target):
    return {"pk": effective_document(w, target)[0].pk}


def _own_task(w, target):
    _, version = effective_document(w, target)
    task = Acknowledgement.objects.get(version=version, user=target_secretary(w, target))
    return {"pk": task.pk}


def _overdue_everywhere(w, target):
    effective_document(w, w.b)
    effective_document(w, w.c)
    return {}


ROUTES = {
    "my_reading": Route(SELF),
    "reading_acknowledge": Route(MANAGE, _own_task, method="post"),
    "version_reading": Route(AGENCY, _version),
    "version_remind": Route(MANAGE, _version, method="post"),
    "agency_reviews": Route(AGENCY, lambda w, t: {"unit_pk": effective_document(w, t)[0].unit_id}),
    "document_reviewed": Route(
        MANAGE, _document, method="post", data=lambda w, t: {"note": "Vẫn phù hợp."}
    ),
    "oversight_reviews": Route(OVERSIGHT, _overdue_everywhere),
}

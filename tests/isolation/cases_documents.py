"""Isolation cases of the document register and a version's life (documents/urls.py)."""

from govqms.documents.models import VersionStatus
from govqms.documents.services import versions
from tests.documents.factories import make_procedure
from tests.isolation import AGENCY, MANAGE, Route


def once(builder):
    """Build a target's objects once per test: the case calls kwargs for every user."""

    def cached(w, target):
        store = w.__dict__.setdefault("_isolation_objects", {})
        key = (builder.__name__, target.pk)
        if key not in store:
            store[key] = builder(w, target)
        return store[key]

    return cached


def _document(w, target):
    return make_procedure(target, code=f"QT-{target.code}")


@once
def _doc_pk(w, target):
    return {"pk": _document(w, target).pk}


def _unit_pk(w, target):
    return {"unit_pk": target.pk}


@once
def _version_pk(w, target):
    return {"pk": _document(w, target).versions.get().pk}


@once
def _in_review_version(w, target):
    version = _document(w, target).versions.get()
    versions.submit_for_review(None, version)
    return {"pk": version.pk}


@once
def _approved_version(w, target):
    version = _document(w, target).versions.get()
    versions.submit_for_review(None, version)
    version.refresh_from_db()
    # Sign every step as the system would not: give the version its approval directly.
    version.status = VersionStatus.APPROVED
    version.save(update_fields=["status"])
    return {"pk": version.pk}


@once
def _two_versions(w, target):
    document = _document(w, target)
    version = document.versions.get()
    version.status = VersionStatus.EFFECTIVE
    version.save(update_fields=["status"])
    draft = versions.start_revision(None, document, description="Cập nhật biểu mẫu")
    return {"pk": draft.pk, "other_pk": version.pk}


@once
def _effective_document(w, target):
    document = _document(w, target)
    version = document.versions.get()
    version.status = VersionStatus.EFFECTIVE
    version.save(update_fields=["status"])
    return {"pk": document.pk}


ROUTES = {
    "document_register": Route(AGENCY, _unit_pk),
    "document_register_export": Route(AGENCY, _unit_pk),
    "document_detail": Route(AGENCY, _doc_pk),
    "version_detail": Route(AGENCY, _version_pk),
    "version_diff": Route(AGENCY, _two_versions),
    "document_create": Route(MANAGE, _unit_pk),
    "document_approval_steps": Route(AGENCY, _unit_pk),
    "document_edit": Route(MANAGE, _doc_pk),
    "version_edit": Route(MANAGE, _version_pk),
    "document_revise": Route(
        MANAGE, _effective_document, method="post", data=lambda w, t: {"description": "Sửa"}
    ),
    "document_withdraw": Route(
        MANAGE, _effective_document, method="post", data=lambda w, t: {"reason": "Bãi bỏ"}
    ),
    "version_submit": Route(MANAGE, _version_pk, method="post"),
    "version_decide": Route(
        MANAGE, _in_review_version, method="post", data=lambda w, t: {"decision": "approve"}
    ),
    "version_effective": Route(
        MANAGE, _approved_version, method="post", data=lambda w, t: {"effective_from": "2026-01-01"}
    ),
}

"""Isolation cases of internal audit (audits/urls.py and audits/api_urls.py)."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from govqms.audits import services
from govqms.organizations.models import Role
from tests.isolation import AGENCY, MANAGE, Route

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def once(builder):
    def cached(w, target):
        store = w.__dict__.setdefault("_isolation_objects", {})
        key = (builder.__name__, target.pk)
        if key not in store:
            store[key] = builder(w, target)
        return store[key]

    return cached


def _secretary(w, target):
    return w.b_secretary if target == w.b else w.c_secretary


@once
def _auditor(w, target):
    return services.register_auditor(
        None,
        target,
        user=_secretary(w, target),
        certificate_name="Chứng chỉ đánh giá viên nội bộ",
        certificate_date=dt.date(2024, 1, 1),
        certificate_expiry=dt.date(2030, 1, 1),
        file=io.BytesIO(b"%PDF-1.4\n%%EOF\n"),
        file_name="chung-chi.pdf",
    )


@once
def _plan(w, target):
    from django.utils import timezone

    _auditor(w, target)
    return services.create_plan(
        None,
        target,
        title=f"Đánh giá nội bộ {target.code}",
        planned_start=timezone.make_aware(dt.datetime(2026, 12, 14, 8)),
        planned_end=timezone.make_aware(dt.datetime(2026, 12, 14, 17)),
        lead=_secretary(w, target),
        clauses=["8.5.1"],
    )


@once
def _item(w, target):
    return services.add_item(None, _plan(w, target), question="Hồ sơ có đủ không?")


@once
def _evidence(w, target):
    f = io.BytesIO(PNG)
    return services.add_evidence(None, _item(w, target), f, name="bang-chung.png")


@once
def _head(w, target):
    from tests.factories import make_user

    return make_user(f"head_{target.code}", f"Thủ trưởng {target.code}", target, Role.HEAD)


def unit(w, target):
    return {"unit_pk": target.pk}


def unit_year(w, target):
    return {"unit_pk": target.pk, "year": 2026}


def plan(w, target):
    return {"pk": _plan(w, target).pk}


def item(w, target):
    return {"pk": _item(w, target).pk}


def evidence(w, target):
    return {"pk": _evidence(w, target).pk}


def auditor(w, target):
    return {"pk": _auditor(w, target).pk}


def _file(w, target):
    return {"file": SimpleUploadedFile("bang-chung.png", PNG, content_type="image/png")}


def _head_of(w, target):
    return _head(w, target)


ROUTES = {
    # Pages.
    "audit_plan_list": Route(AGENCY, unit),
    "audit_programme": Route(AGENCY, unit_year),
    "audit_auditors": Route(AGENCY, unit),
    "audit_plan_detail": Route(AGENCY, plan),
    "audit_report_docx": Route(AGENCY, plan),
    "audit_report_pdf": Route(AGENCY, plan),
    "audit_item": Route(AGENCY, item),
    "audit_evidence": Route(AGENCY, evidence),
    "audit_auditor_certificate": Route(AGENCY, auditor),
    "audit_plan_create": Route(MANAGE, unit),
    "audit_programme_edit": Route(MANAGE, unit_year),
    "audit_auditor_add": Route(MANAGE, unit),
    "audit_auditor_edit": Route(MANAGE, auditor),
    "audit_plan_edit": Route(MANAGE, plan),
    "audit_plan_invite": Route(MANAGE, plan, manager=_head_of),
    "audit_finding_add": Route(MANAGE, plan),
    "audit_plan_status": Route(MANAGE, plan, method="post", data=lambda w, t: {"action": "start"}),
    "audit_plan_report_text": Route(
        MANAGE, plan, method="post", data=lambda w, t: {"summary": "Tóm tắt", "conclusion": "KL"}
    ),
    "audit_checklist_generate": Route(MANAGE, plan, method="post"),
    "audit_item_add": Route(
        MANAGE, plan, method="post", data=lambda w, t: {"question": "Câu hỏi mới"}
    ),
    "audit_item_delete": Route(MANAGE, item, method="post"),
    "audit_item_move": Route(MANAGE, item, method="post", data=lambda w, t: {"direction": "up"}),
    "audit_evidence_add": Route(MANAGE, item, method="post", data=_file),
    # API.
    "api-audit-programmes": Route(AGENCY, unit),
    "api-audit-plans": Route(AGENCY, unit),
    "api-auditors": Route(AGENCY, unit),
    "api-audit-plan": Route(AGENCY, plan),
    "api-audit-checklist": Route(AGENCY, plan),
    "api-audit-findings": Route(AGENCY, plan),
    "api-audit-item": Route(AGENCY, item),
    "api-audit-item-result": Route(
        MANAGE, item, method="post", data=lambda w, t: {"result": "conforming"}
    ),
}

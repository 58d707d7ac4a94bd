"""Isolation cases of the model framework's routes (documents/urls_framework.py).

The DoST's console is for DoST administrators (DOST_ADMIN); the adoption overview for
overseers (OVERSIGHT); an agency's framework pages are its internal records (AGENCY),
and adopting or bringing changes in is a write on the agency (MANAGE)."""

from govqms.documents.models import DocumentKind, Framework
from govqms.documents.selectors import framework as selectors
from govqms.documents.services import framework as services
from govqms.organizations.models import Unit, UnitKind
from tests.documents.factories import PROCEDURE
from tests.factories import make_unit
from tests.isolation import AGENCY, DOST_ADMIN, MANAGE, OVERSIGHT, Route


def _dost(w, target):
    """The DoST unit of the target's province (province Q gets one on demand)."""
    if target.province == w.p.province:
        return w.dost
    dost = Unit.objects.filter(code="Q-DOST").first()
    return dost or make_unit(
        "Q-DOST",
        "Sở Khoa học và Công nghệ Lạng Sơn",
        UnitKind.DOST,
        parent=w.q,
        province="Lạng Sơn",
    )


def framework(w, target):
    """The target province's framework: version 1 published with one template,
    version 2 a draft (idempotent: kwargs are built once per call)."""
    dost = _dost(w, target)
    existing = Framework.objects.filter(publisher=dost).first()
    if existing is not None:
        return existing
    created = services.create_framework(
        None, publisher=dost, code=f"MHK-T-{dost.pk}", title="Mô hình khung thử nghiệm"
    )
    first = created.versions.get()
    services.add_template(
        None,
        first,
        key="khai-sinh",
        code="QT-TP-01",
        title="Quy trình đăng ký khai sinh",
        kind=DocumentKind.OPERATIONAL_PROCEDURE,
        content=PROCEDURE,
    )
    services.publish_version(None, first)
    services.create_draft_version(None, created)
    return created


def published_template(w, target):
    return selectors.latest_published(framework(w, target)).templates.get()


def draft(w, target):
    return selectors.draft_version(framework(w, target))


def adopted(w, target, *, updated=False):
    """The target's document adopted from the template; with `updated`, the DoST has
    since published version 2 with a changed purpose."""
    template = published_template(w, target)
    document = selectors.already_adopted(target, template) or services.adopt(None, template, target)
    if updated:
        version = draft(w, target)
        if version is not None:
            newer = version.templates.get(key=template.key)
            content = dict(newer.content, purpose="Mục đích đã sửa trong phiên bản 2.")
            services.update_template(None, newer, content=content)
            services.publish_version(None, version)
    return document


def _agency(w, target):
    framework(w, target)
    return {"unit_pk": target.pk}


ROUTES = {
    # The DoST's console.
    "framework_list": Route(DOST_ADMIN, lambda w, t: framework(w, t) and {}),
    "framework_create": Route(DOST_ADMIN),
    "framework_detail": Route(DOST_ADMIN, lambda w, t: {"pk": framework(w, t).pk}),
    "framework_version_create": Route(DOST_ADMIN, lambda w, t: {"pk": framework(w, t).pk}),
    "framework_version_publish": Route(DOST_ADMIN, lambda w, t: {"pk": draft(w, t).pk}),
    "framework_template_create": Route(DOST_ADMIN, lambda w, t: {"pk": draft(w, t).pk}),
    "framework_template_admin": Route(DOST_ADMIN, lambda w, t: {"pk": published_template(w, t).pk}),
    "framework_template_edit": Route(
        DOST_ADMIN, lambda w, t: {"pk": draft(w, t).templates.get().pk}
    ),
    "framework_template_delete": Route(
        DOST_ADMIN, lambda w, t: {"pk": draft(w, t).templates.get().pk}
    ),
    "framework_adoption": Route(OVERSIGHT, lambda w, t: framework(w, t) and {}),
    # An agency's side.
    "framework_agency": Route(AGENCY, _agency),
    "framework_template": Route(
        AGENCY, lambda w, t: {"unit_pk": t.pk, "pk": published_template(w, t).pk}
    ),
    "framework_adopt": Route(
        MANAGE,
        lambda w, t: {"unit_pk": t.pk, "pk": published_template(w, t).pk},
        method="post",
    ),
    "framework_adopt_all": Route(
        MANAGE,
        lambda w, t: {
            "unit_pk": t.pk,
            "pk": selectors.latest_published(framework(w, t)).pk,
        },
        method="post",
    ),
    "framework_drift": Route(AGENCY, lambda w, t: adopted(w, t) and {"unit_pk": t.pk}),
    "framework_drift_detail": Route(AGENCY, lambda w, t: {"unit_pk": t.pk, "pk": adopted(w, t).pk}),
    "framework_update": Route(
        AGENCY, lambda w, t: {"unit_pk": t.pk, "pk": adopted(w, t, updated=True).pk}
    ),
    "framework_merge": Route(
        MANAGE,
        lambda w, t: {"unit_pk": t.pk, "pk": adopted(w, t, updated=True).pk},
        method="post",
    ),
}

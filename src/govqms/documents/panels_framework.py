"""Home panels of the model framework: on an agency's home, what it adopted and the
"template updated" notices; on the DoST home, adoption across the supervised agencies."""

from govqms.core import panels
from govqms.organizations import selectors as org

from .selectors import framework as selectors


def agency_panel(user, unit):
    if not org.can_view_internal(user, unit):
        return None
    catalogue = selectors.unit_catalogue(unit)
    if not catalogue:
        return None
    updates = selectors.template_updates(user, unit)
    return panels.Panel(
        "documents/framework/_panel.html",
        {
            "unit": unit,
            "catalogue": catalogue,
            "available": sum(len(c["rows"]) for c in catalogue),
            "pending": sum(c["pending"] for c in catalogue),
            "updates": updates[:5],
            "update_count": len(updates),
        },
        order=40,
    )


def oversight_panel(user):
    frameworks = list(
        selectors.overseen_frameworks(user)
        .prefetch_related("versions")
        .order_by("publisher__path", "code")[:3]
    )
    if not frameworks:
        return None
    rows = []
    for framework in frameworks:
        latest, draft = selectors.newest_versions(framework)
        rows.append(
            {
                "framework": framework,
                "latest": latest,
                "draft": draft,
                "adopters": selectors.adopter_count(user, framework),
                "agencies": selectors.framework_agencies(user, framework).count(),
            }
        )
    return panels.Panel(
        "documents/framework/_oversight_panel.html",
        {"rows": rows, "can_manage": bool(org.admin_roots(user))},
        order=60,
    )


def register():
    # Importing the services registers the "documents.manage_framework" permission.
    from .services import framework  # noqa: F401

    panels.register_agency_panel(agency_panel)
    panels.register_oversight_panel(oversight_panel)

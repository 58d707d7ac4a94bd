"""ISO 9001:2015 clause outline: numbers and titles only (the clause text is copyrighted).

Titles are English msgids; the Vietnamese catalogue is filled by the integrator.
"""

from django.utils.translation import gettext_lazy as _

CLAUSES: list[tuple[str, str]] = [
    ("4", _("Context of the organization")),
    ("4.1", _("Understanding the organization and its context")),
    ("4.2", _("Understanding the needs and expectations of interested parties")),
    ("4.3", _("Determining the scope of the quality management system")),
    ("4.4", _("Quality management system and its processes")),
    ("5", _("Leadership")),
    ("5.1", _("Leadership and commitment")),
    ("5.1.1", _("General")),
    ("5.1.2", _("Customer focus")),
    ("5.2", _("Policy")),
    ("5.2.1", _("Establishing the quality policy")),
    ("5.2.2", _("Communicating the quality policy")),
    ("5.3", _("Organizational roles, responsibilities and authorities")),
    ("6", _("Planning")),
    ("6.1", _("Actions to address risks and opportunities")),
    ("6.2", _("Quality objectives and planning to achieve them")),
    ("6.3", _("Planning of changes")),
    ("7", _("Support")),
    ("7.1", _("Resources")),
    ("7.1.1", _("General")),
    ("7.1.2", _("People")),
    ("7.1.3", _("Infrastructure")),
    ("7.1.4", _("Environment for the operation of processes")),
    ("7.1.5", _("Monitoring and measuring resources")),
    ("7.1.6", _("Organizational knowledge")),
    ("7.2", _("Competence")),
    ("7.3", _("Awareness")),
    ("7.4", _("Communication")),
    ("7.5", _("Documented information")),
    ("7.5.1", _("General")),
    ("7.5.2", _("Creating and updating")),
    ("7.5.3", _("Control of documented information")),
    ("8", _("Operation")),
    ("8.1", _("Operational planning and control")),
    ("8.2", _("Requirements for products and services")),
    ("8.2.1", _("Customer communication")),
    ("8.2.2", _("Determining the requirements for products and services")),
    ("8.2.3", _("Review of the requirements for products and services")),
    ("8.2.4", _("Changes to requirements for products and services")),
    ("8.3", _("Design and development of products and services")),
    ("8.4", _("Control of externally provided processes, products and services")),
    ("8.5", _("Production and service provision")),
    ("8.5.1", _("Control of production and service provision")),
    ("8.5.2", _("Identification and traceability")),
    ("8.5.3", _("Property belonging to customers or external providers")),
    ("8.5.4", _("Preservation")),
    ("8.5.5", _("Post-delivery activities")),
    ("8.5.6", _("Control of changes")),
    ("8.6", _("Release of products and services")),
    ("8.7", _("Control of nonconforming outputs")),
    ("9", _("Performance evaluation")),
    ("9.1", _("Monitoring, measurement, analysis and evaluation")),
    ("9.1.1", _("General")),
    ("9.1.2", _("Customer satisfaction")),
    ("9.1.3", _("Analysis and evaluation")),
    ("9.2", _("Internal audit")),
    ("9.3", _("Management review")),
    ("9.3.1", _("General")),
    ("9.3.2", _("Management review inputs")),
    ("9.3.3", _("Management review outputs")),
    ("10", _("Improvement")),
    ("10.1", _("General")),
    ("10.2", _("Nonconformity and corrective action")),
    ("10.3", _("Continual improvement")),
]

_TITLES = dict(CLAUSES)
CLAUSE_NUMBERS = [number for number, _title in CLAUSES]


def clause_title(number):
    """The (lazy, translatable) title of a clause number, or "" if unknown."""
    return _TITLES.get(str(number or "").strip(), "")


def clause_label(number):
    """'8.5.1 Control of production and service provision' (or the number alone)."""
    title = clause_title(number)
    return f"{number} {title}" if title else str(number or "")


def clause_choices():
    """Choices for a form field: (number, 'number title')."""
    return [(number, f"{number} {title}") for number, title in CLAUSES]

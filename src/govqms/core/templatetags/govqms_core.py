from django import template

from govqms.core.audit import action_label, audit_change_rows

register = template.Library()


@register.filter(name="action_label")
def action_label_filter(code):
    """{{ entry.action|action_label }}: what an audit action code means, translated."""
    return action_label(code)


@register.filter(name="audit_changes")
def audit_changes_filter(entry):
    """{% for row in entry|audit_changes %}: an audit entry's changes as people read
    them (field labels, choice labels, dd/mm/yyyy dates, decimal commas)."""
    return audit_change_rows(entry)

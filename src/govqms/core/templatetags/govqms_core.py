from django import template

from govqms.core.audit import action_label

register = template.Library()


@register.filter(name="action_label")
def action_label_filter(code):
    """{{ entry.action|action_label }}: what an audit action code means, translated."""
    return action_label(code)

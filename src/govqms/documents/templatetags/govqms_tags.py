from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ row|get_item:"name" }}: a value of a dict by a variable key."""
    if not mapping:
        return ""
    return mapping.get(key, "")

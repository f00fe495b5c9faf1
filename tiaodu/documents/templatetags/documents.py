from typing import Any

from django import template

register = template.Library()


@register.filter
def item(mapping: dict[str, Any], key: str) -> Any:
    """mapping[key] in a template (the rows of a bulletin table by its key)."""
    return mapping.get(key)

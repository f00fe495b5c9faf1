"""The statistics page's links: each count opens the library filtered to the projects behind it."""

from typing import Any

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def library_url(params: dict[str, str], **extra: str) -> str:
    """The library list with the scope's and the row's filters, and the figure's own (also a
    tag, for a link without a count: `{% library_url params figure="bond_funds_unspent" %}`)."""
    query = QueryDict(mutable=True)
    for key, value in {**params, **{k: v for k, v in extra.items() if v}}.items():
        query[key] = value
    return f"{reverse('projects:list')}?{query.urlencode()}"


@register.simple_tag
def count_link(value: Any, params: dict[str, str] | None, **extra: str) -> SafeString:
    """A count as a link to the library: `{% count_link 12 row.params figure="lagging" %}`.

    Without params (a row that the scope excludes, always 0) the count is plain text.
    """
    if params is None:
        return format_html('<span data-count="{}">{}</span>', value, value)
    return format_html(
        '<a href="{}" class="td-count" data-count="{}">{}</a>',
        library_url(params, **extra),
        value,
        value,
    )


@register.filter
def percent(value: Any) -> str:
    """A rate of the JSON form ("77.45" or None) as shown: "77.45%" or "—"."""
    return "—" if value is None else f"{value}%"


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`mapping[key]` in a template (the reserve's count of one stage)."""
    return mapping.get(key)

"""Template helpers shared by every app: form widgets in Tabler's classes, money, rates."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.forms import BoundField
from django.utils.html import format_html

from tiaodu.core import idempotency

register = template.Library()


@register.filter
def control(field: BoundField) -> str:
    """Render a field's widget with Tabler's classes, marked invalid when it has errors."""
    kind = field.widget_type
    css = "form-select" if kind in {"select", "selectmultiple"} else "form-control"
    if kind in {"checkbox", "radioselect", "checkboxselectmultiple"}:
        css = "form-check-input"
    if field.errors:
        css += " is-invalid"
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def wan(value: Any) -> str:
    """An amount in 万元 with thousands separators and two places."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return f"{amount:,.2f}"


@register.filter
def yi(value: Any) -> str:
    """An amount in 万元 shown in 亿元 (÷ 10,000), two places, half-up."""
    if value is None or value == "":
        return "—"
    try:
        amount = (Decimal(value) / Decimal(10000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return f"{amount:,.2f}"


@register.simple_tag
def field_label(object_type: str, field: str) -> str:
    """The verbose name of an audited field, from the event's object type ("projects.project")."""
    try:
        model = apps.get_model(object_type)
        return str(model._meta.get_field(field).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return field


@register.simple_tag(takes_context=True)
def idempotency_field(context: template.Context) -> str:
    """A create form's hidden key (`core.idempotency`): made when the form is rendered, kept
    when the form comes back with errors, so that sending it twice creates one object."""
    request = context.get("request")
    posted = request.POST.get(idempotency.FIELD, "") if request is not None else ""
    key = posted if idempotency.KEY.match(posted) else idempotency.new_key()
    return format_html('<input type="hidden" name="{}" value="{}">', idempotency.FIELD, key)

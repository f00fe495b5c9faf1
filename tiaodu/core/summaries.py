"""The filters a reader chose, in words: "所属区县：黄岛区；状态：已超期".

An export writes them to the audit log (its message), so that the auditor reads what was
exported by the labels the reader saw, not as the query string of the address. Like all
audit text they are written in the site's language (`audit.in_site_language`).
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from tiaodu.core.audit import in_site_language

SEPARATOR = "；"


def _choice_labels(field: forms.ChoiceField) -> dict[str, str]:
    labels: dict[str, str] = {}
    # A bound form's choices are a list of pairs (a group: a label and its pairs).
    for key, label in cast(Iterable[tuple[Any, Any]], field.choices):
        if isinstance(label, list | tuple):  # a group of choices
            labels.update({str(inner): str(text) for inner, text in label})
        else:
            labels[str(key)] = str(label)
    return labels


def _words(field: forms.Field, value: Any) -> str:
    if isinstance(value, QuerySet | list | tuple | set):
        return "、".join(filter(None, (_words(field, item) for item in value)))
    if isinstance(value, Model):
        return str(value)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return _choice_labels(field).get(str(value), str(value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def chosen_filters(form: forms.Form) -> list[tuple[str, str]]:
    """The filled-in fields of a validated form as (label, value in words), in the form's
    order; a field left empty, unchecked or invalid is left out."""
    data = getattr(form, "cleaned_data", None) or {}
    found: list[tuple[str, str]] = []
    for name, field in form.fields.items():
        value = data.get(name)
        if value is None or value == "" or (value is False and type(field) is forms.BooleanField):
            continue
        words = _words(field, value)
        if words:
            found.append((str(field.label or name), words))
    return found


def in_words(pairs: Iterable[tuple[str, str]]) -> str:
    """(label, value) pairs as one line: "所属区县：黄岛区；状态：已超期"; "" for none."""
    return SEPARATOR.join(f"{label}：{value}" for label, value in pairs)


def filter_summary(form: forms.Form) -> str:
    """The chosen filters of a validated form in one line, or "no filter" in words."""
    with in_site_language():
        return in_words(chosen_filters(form)) or _("No filter: everything in scope")


def export_message(count: int | None, summary: str) -> str:
    """An export's audit message: how many rows, then what was chosen (at most 255 chars)."""
    if count is None:
        return summary[:255]
    with in_site_language():
        rows = _("%(count)d rows") % {"count": count}
    return f"{rows}{SEPARATOR}{summary}"[:255]

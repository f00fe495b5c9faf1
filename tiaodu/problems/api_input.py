"""What the problem and supervision APIs share: a JSON body read by the page's own form, and
the services' refusals answered as `Refusal`s (docs/api.md).

A body goes through the form the page uses, so that a bad value is refused with the page's
message, in the caller's language, named by the form's field; the services then decide as
they do for the page. A refusal changes nothing.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.reporting.api import Refusal

GENERAL = "__all__"


def form_data(values: dict[str, Any]) -> dict[str, Any]:
    """A body's values as a form reads posted fields: None left out, dates ISO, booleans
    as a ticked box, ids as they are (lists for a multiple choice)."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        if value is None or value is False:
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif value is True:
            value = "on"
        data[name] = value
    return data


def cleaned(form: Form) -> dict[str, Any]:
    """The form's cleaned data; or a 422 with each error under its field's name."""
    if form.is_valid():
        return form.cleaned_data
    errors = {name: [str(message) for message in found] for name, found in form.errors.items()}
    messages = [message for found in errors.values() for message in found]
    raise Refusal(422, messages, {name: found for name, found in errors.items() if name != GENERAL})


@contextmanager
def refusals() -> Iterator[None]:
    """A service's refusal as the API answers it: 403 when the caller may not, 422 when the
    input or the object's state is refused. (A 404 is answered by the site's handler.)"""
    try:
        yield
    except PermissionDenied as error:
        raise Refusal(403, [str(error) or _("You cannot do this.")]) from error
    except ValidationError as error:
        fields = dict(error.message_dict) if hasattr(error, "error_dict") else {}
        fields.pop(GENERAL, None)
        raise Refusal(422, list(error.messages), fields) from error


def local(moment: dt.datetime | None) -> dt.datetime | None:
    """A moment in the site's time zone (Shanghai), as the pages show it."""
    return timezone.localtime(moment) if moment else None

"""What the problem and supervision APIs share: a JSON body read by the page's own form
(docs/api.md); the services' refusals are answered by `core.api_support.refused_as`.

A body goes through the form the page uses, so that a bad value is refused with the page's
message, in the caller's language, named by the form's field; the services then decide as
they do for the page. A refusal changes nothing.
"""

import datetime as dt
from typing import Annotated, Any

from django.forms import Form
from django.utils import timezone
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import Field, ModelWrapValidatorHandler, ValidationInfo, model_validator

from tiaodu.core.api_support import Refusal
from tiaodu.core.bounds import MAX_ID
from tiaodu.core.error_messages import not_found_message
from tiaodu.core.scoping import Actor
from tiaodu.projects.permissions import reads_business_data

GENERAL = "__all__"

# An id in a body or a query: a row's primary key, so that no lookup meets a number the
# database cannot hold.
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


def business_reader(actor: Actor) -> None:
    """The lists are for the business roles: the administrators and the auditor get 404,
    as the pages answer them."""
    if not reads_business_data(actor):
        raise Refusal(404, [not_found_message()])


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


def local(moment: dt.datetime | None) -> dt.datetime | None:
    """A moment in the site's time zone (Shanghai), as the pages show it."""
    return timezone.localtime(moment) if moment else None


class Shown(Schema):
    """An answer's schema whose resolvers read the object (a problem, a notice…); an answer
    already given, as `idempotency.api_once` replays it (a dict), is taken as it is."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        if isinstance(values, dict):
            return handler(values)
        return handler(DjangoGetter(values, cls, info.context))


def as_body(schema: type[Schema], obj: Any) -> dict[str, Any]:
    """An object as the schema answers it, in JSON's types: what `idempotency.api_once`
    keeps to answer a repeat with."""
    return schema.from_orm(obj).model_dump(mode="json")

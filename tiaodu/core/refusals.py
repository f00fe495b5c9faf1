"""A service's refusal, shown to the person: as a message, or on the form it came from.

Services refuse with PermissionDenied or ValidationError, translated (DESIGN.md, rule 10);
every page shows them the same way through these two.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def refusal(error: PermissionDenied | ValidationError | Exception) -> str:
    """The message of a refused action, in the user's language."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You cannot do this.")


def errors_onto(form: Any, error: ValidationError | PermissionDenied) -> None:
    """Put the refusal on the form: on each field it names, the rest (and a refusal that
    names none) above the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, refusal(error))

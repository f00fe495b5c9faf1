"""What the field-round pages share: refusals as messages, errors onto form fields, and the
link to a problem's page."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from tiaodu.problems.models import Problem


def refusal(error: PermissionDenied | ValidationError) -> str:
    """The message of a refused action, in the user's language."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You cannot do this.")


def form_errors_from(error: ValidationError, form: Any) -> None:
    """A service's refusal onto the form field it names (or the whole form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def problem_url(problem: Problem | None) -> str:
    """The problem's page in the ledger, once the problems app offers one; empty before."""
    if problem is None:
        return ""
    try:
        return reverse("problems:detail", args=[problem.pk])
    except NoReverseMatch:
        return ""

"""What the error pages and the API say when they refuse, in the reader's language: one
wording for the page and the JSON (docs/errors.md)."""

from typing import Any

from django.utils.translation import gettext as _


def refusal_body(detail: str) -> dict[str, Any]:
    """The body of an API refusal (`core.api_support.RefusalOut`): one message, no fields."""
    return {"detail": detail, "messages": [detail], "fields": {}}


def not_found_message() -> str:
    return _(
        "The address is wrong, or what it shows is outside what your account may see. Check "
        "the address, or go back and choose again."
    )


def forbidden_message() -> str:
    return _(
        "Your account may not do this. If your work needs it, ask your unit's dispatcher or "
        "the system administrator."
    )


def csrf_message() -> str:
    return _(
        "The form could not be accepted: the page was open for too long, you signed in or out "
        "in another window, or the browser refuses cookies from this site. Go back, reload the "
        "page and send it again."
    )


def bad_request_message() -> str:
    return _(
        "The address or the form that was sent could not be read. Go back and try again; if "
        "it happens again, tell the system administrator."
    )


def server_error_message() -> str:
    return _(
        "The server could not finish this request; nothing was changed by it. Try again in a "
        "moment. If it keeps happening, tell the system administrator the time shown below."
    )

"""The error pages: 400, 403 (a failed CSRF check included), 404 and 500, in the product's
layout and the reader's language, each with a way back (docs/errors.md). Under /api/ the same
refusals answer as JSON, in the body every API refusal has: detail, messages, fields.

The 400 and 500 pages are rendered without the request: a request that could not be read,
or a server in trouble (the database down), must not fail a second time while the error page
asks for the signed-in user, the navigation or the unread count.
"""

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import BadRequest, DisallowedHost
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from tiaodu.core.error_messages import (
    bad_request_message,
    csrf_message,
    forbidden_message,
    not_found_message,
    refusal_body,
    server_error_message,
)

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(detail: str, status: int) -> JsonResponse:
    return JsonResponse(refusal_body(detail), status=status)


def _back(request: HttpRequest) -> str:
    """The page the reader came from, when it is a page of this site (a path), else ""."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return ""
    parts = urlsplit(referer)
    try:
        host = request.get_host()
    except DisallowedHost:  # a refused Host header: no way back but the home page
        return ""
    if parts.netloc and parts.netloc != host:
        return ""
    if not parts.path.startswith("/"):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _page(status: int, title: str, message: str, request: HttpRequest) -> dict[str, Any]:
    return {"status": status, "title": title, "message": message, "back": _back(request)}


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: the address does not exist, or the object is outside the reader's scope (the
    two are one answer, so that scope cannot be probed)."""
    if _is_api(request):
        return _json(not_found_message(), 404)
    context = _page(404, _("Page not found"), not_found_message(), request)
    return render(request, "404.html", context, status=404)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: the reader may see the page but not do this; the refusal's own message (the
    services write them for people) when it has one."""
    said = str(exception) if exception is not None else ""
    message = said or forbidden_message()
    if _is_api(request):
        return _json(message, 403)
    context = _page(403, _("Not allowed"), message, request)
    return render(request, "403.html", context, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 of a failed CSRF check (settings.CSRF_FAILURE_VIEW); the reason is in Django's
    security log (django.security.csrf), not on the page."""
    if _is_api(request):
        return _json(csrf_message(), 403)
    context = _page(403, _("The form has expired"), csrf_message(), request)
    return render(request, "403_csrf.html", context, status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: a request that could not be read (a refused Host header, a malformed form), or
    one out of bounds (`core.bounds`): a `BadRequest` says its own message, written for
    people; Django's own refusals (`SuspiciousOperation`) say the general one."""
    said = str(exception) if type(exception) is BadRequest else ""
    message = said or bad_request_message()
    if _is_api(request):
        return _json(message, 400)
    context = _page(400, _("The request could not be read"), message, request)
    return HttpResponse(loader.get_template("400.html").render(context), status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered from the template alone, without the database or the request's user."""
    if _is_api(request):
        return _json(server_error_message(), 500)
    context = _page(500, _("Something went wrong on the server"), server_error_message(), request)
    context["stamp"] = True
    return HttpResponse(loader.get_template("500.html").render(context), status=500)

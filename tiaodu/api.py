"""The ninja API: each app mounts its router here. OpenAPI at /api/v1/docs (signed in)."""

import json
import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from ninja.security import SessionAuth

from tiaodu.accounts.tokens import ApiTokenAuth
from tiaodu.analytics.api import router as analytics_router
from tiaodu.campaigns.api import router as campaigns_router
from tiaodu.core.api_support import (
    NOT_MODIFIED,
    Refusal,
    RefusalOut,
    SessionRate,
    TokenRate,
    with_etag,
)
from tiaodu.core.bounds import encodable, not_utf8_message
from tiaodu.core.error_messages import (
    bad_request_message,
    csrf_message,
    forbidden_message,
    not_found_message,
    refusal_body,
    server_error_message,
)
from tiaodu.financing.api import router as financing_router
from tiaodu.problems.api import router as problems_router
from tiaodu.projects.api import router as projects_router
from tiaodu.projects.open_data.api import router as open_data_router
from tiaodu.projects.plan_api import router as plans_router
from tiaodu.reporting.api import router as reports_router
from tiaodu.reporting.review_api import router as review_router
from tiaodu.scoring.api import router as cards_router
from tiaodu.scoring.ranking_api import router as rankings_router
from tiaodu.supervision.instructions.api import router as instructions_router
from tiaodu.supervision.meetings.api import router as meetings_router
from tiaodu.supervision.notices.api import router as notices_router
from tiaodu.supervision.rounds.api import router as rounds_router
from tiaodu.supervision.rounds.visit_api import router as visits_router
from tiaodu.video.api import router as cameras_router

logger = logging.getLogger("tiaodu.errors")


class Utf8Parser(Parser):
    """JSON bodies, refused (400) when a string in them cannot be stored as UTF-8: JSON may
    carry a lone surrogate (\\ud800), which no text column holds."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not encodable(json.dumps(data, ensure_ascii=False)):
            raise BadRequest(not_utf8_message())
        return data


# Every operation may answer these, with a refusal's body (`core.api_support.RefusalOut`): the
# exception handlers below answer them for every route, and the schema says so.
REFUSED_ANSWERS = {
    "400": "The request cannot be read: a body that is not JSON, a value out of bounds.",
    "401": "No valid API token and no signed-in session.",
    "403": "The caller may not do this.",
    "404": "No such object, or one outside the caller's scope.",
    "422": "A parameter or field is missing or not of the right kind, or a rule refuses it.",
    "429": "Too many requests from this token (or session): wait Retry-After seconds.",
}


class LocalSwagger(Swagger):
    """Swagger UI from django-ninja's own static files. Ninja serves a page that loads it
    from a CDN unless ninja is an installed app, which it is not here
    (settings.LIBRARY_PACKAGES): the site's Content-Security-Policy refuses those scripts,
    and a government network may not reach the CDN."""

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            # The page's requests carry the session: SessionAuth checks their CSRF token.
            "add_csrf": True,
        }
        return render(request, self.template, context)


class TiaoduAPI(NinjaAPI):
    """The site's API, whose schema describes the refusals every operation may answer."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault(
            "RefusalOut", RefusalOut.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/RefusalOut"}}}
        for item in schema["paths"].values():
            for operation in item.values():
                answers = operation.setdefault("responses", {})
                for status, description in REFUSED_ANSWERS.items():
                    if int(status) not in answers and status not in answers:
                        answers[status] = {"description": description, "content": body}
        for item in schema["paths"].values():
            if "get" in item:
                item["get"]["responses"].setdefault("304", {"description": NOT_MODIFIED})
        return schema

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        """Every answer; a read's with its ETag (`core.api_support.with_etag`)."""
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        return with_etag(request, response)


api = TiaoduAPI(
    title="Tiaodu API",
    version="1",
    description="调度 · the major-project dispatch platform. Every read is scoped to the caller.",
    # A bearer token (tiaodu.accounts.tokens) for apps, else a signed-in page's session. The
    # token is tried first: the session check refuses a request without a CSRF token, which
    # an app does not send.
    auth=[ApiTokenAuth(), SessionAuth()],
    urls_namespace="api",
    # The schema and its page describe the site's data: for signed-in users only.
    docs=LocalSwagger(),
    docs_decorator=login_required,
    parser=Utf8Parser(),
    # Per token, else per signed-in user: settings.TIAODU_API_RATES.
    throttle=[TokenRate(), SessionRate()],
)
# The fixed paths (/projects/plans, /reports/review) before the ids (/projects/{project_id}).
api.add_router("/projects", plans_router)
api.add_router("/projects", projects_router)
api.add_router("/stats", analytics_router)
api.add_router("/reports", review_router)
api.add_router("/reports", reports_router)
api.add_router("/rankings", rankings_router)
api.add_router("/cards", cards_router)
api.add_router("/campaigns", campaigns_router)
api.add_router("/instructions", instructions_router)
api.add_router("/open-data", open_data_router)
api.add_router("/cameras", cameras_router)
api.add_router("/financing", financing_router)
api.add_router("/problems", problems_router)
api.add_router("/notices", notices_router)
api.add_router("/meetings", meetings_router)
api.add_router("/rounds", rounds_router)
api.add_router("/visits", visits_router)


@api.exception_handler(Refusal)
def refused(request: HttpRequest, error: Refusal) -> HttpResponse:
    """A refused action: its messages, in the caller's language (docs/reporting.md)."""
    return api.create_response(request, error.body(), status=error.status_code)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """Parameters or a body the schema refuses (a word where a number belongs, a field
    missing): the same body as a refusal, in the caller's language, naming the fields."""
    fields: dict[str, list[str]] = {}
    for item in error.errors:
        location = [
            str(part)
            for part in item.get("loc", ())
            if part not in ("body", "query", "path", "payload")
        ]
        name = location[-1] if location else "request"
        fields.setdefault(name, []).append(_("This value is missing or not of the right kind."))
    names = "、".join(fields)
    detail = _("Check these fields and send again: %(names)s.") % {"names": names}
    return api.create_response(
        request, {"detail": detail, "messages": [detail], "fields": fields}, status=422
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    detail = _("Sign in, or send a valid API token as “Authorization: Bearer td_…”.")
    return api.create_response(
        request, {"detail": detail, "messages": [detail], "fields": {}}, status=401
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    """No such object, or one outside the caller's scope: one answer for both."""
    return api.create_response(request, refusal_body(not_found_message()), status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    """A refusal of the services: their own message, else the general one."""
    detail = str(error) or forbidden_message()
    return api.create_response(request, refusal_body(detail), status=403)


# What django-ninja itself raises, in English, said in the caller's language.
NINJA_MESSAGES = {
    "CSRF check Failed": csrf_message,
    "Forbidden": forbidden_message,
    "Not Found": not_found_message,
}


# django-ninja's 400 of a body its parser could not read (the parser's error its cause).
UNPARSED = "Cannot parse request body"


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    """An HttpError raised with a message for people, or one of django-ninja's own."""
    if isinstance(error, Throttled):
        detail = _("Too many requests: wait a moment and send again.")
    else:
        said = str(error)
        detail = NINJA_MESSAGES[said]() if said in NINJA_MESSAGES else said
        if said.startswith(UNPARSED):
            # A body that is not JSON, or one our parser refused (its own message).
            cause = error.__cause__
            detail = str(cause) if type(cause) is BadRequest else bad_request_message()
    return api.create_response(request, refusal_body(detail), status=error.status_code)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, error: Exception) -> HttpResponse:
    """An unexpected failure: logged with its traceback and reported like any request's
    (got_request_exception), answered in the caller's language without the traceback."""
    logger.error("API request failed: %s", request.path, exc_info=error)
    got_request_exception.send(sender=None, request=request)
    return api.create_response(request, refusal_body(server_error_message()), status=500)

"""The ninja API: each app mounts its router here. OpenAPI at /api/v1/docs."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import SessionAuth

from tiaodu.accounts.tokens import ApiTokenAuth
from tiaodu.analytics.api import router as analytics_router
from tiaodu.campaigns.api import router as campaigns_router
from tiaodu.projects.api import router as projects_router
from tiaodu.reporting.api import Refusal
from tiaodu.reporting.api import router as reports_router
from tiaodu.scoring.api import router as cards_router
from tiaodu.scoring.ranking_api import router as rankings_router
from tiaodu.supervision.instructions.api import router as instructions_router

api = NinjaAPI(
    title="Tiaodu API",
    version="1",
    description="调度 · the major-project dispatch platform. Every read is scoped to the caller.",
    # A bearer token (tiaodu.accounts.tokens) for apps, else a signed-in page's session. The
    # token is tried first: the session check refuses a request without a CSRF token, which
    # an app does not send.
    auth=[ApiTokenAuth(), SessionAuth()],
    urls_namespace="api",
)
api.add_router("/projects", projects_router)
api.add_router("/stats", analytics_router)
api.add_router("/reports", reports_router)
api.add_router("/rankings", rankings_router)
api.add_router("/cards", cards_router)
api.add_router("/campaigns", campaigns_router)
api.add_router("/instructions", instructions_router)


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

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from tiaodu.core import context


def client_address(request: HttpRequest) -> str:
    """The client's address; behind a trusted proxy, the one it set (docs/deployment.md)."""
    if settings.TIAODU_TRUST_X_REAL_IP and request.META.get("HTTP_X_REAL_IP"):
        return str(request.META["HTTP_X_REAL_IP"])
    return str(request.META.get("REMOTE_ADDR", "") or "")


class AuditContextMiddleware:
    """Binds the source address of each request so that services can audit it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        with context.bound(context.RequestContext(client_address(request), channel)):
            return self.get_response(request)


class LanguageMiddleware:
    """Chinese first: the site's language unless the user chose another with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a government
    office's browsers are often English builds, so only the explicit choice (the cookie
    the language switch sets) overrides LANGUAGE_CODE.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class NoStoreMiddleware:
    """A page or a download made for a signed-in user is kept by no cache, neither the
    browser's nor a proxy's (business data; docs/security.md): `Cache-Control: no-store,
    private`, unless the view set a Cache-Control of its own. Static files are answered by
    WhiteNoise before this runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
        return response

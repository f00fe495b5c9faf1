"""Idle and absolute session timeouts, the password change when it is due, a password that the
system administrator reset, and the second factor a role requires (DOMAIN.md §9)."""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts import policy, second_factor, sessions
from tiaodu.accounts.models import SessionEnd
from tiaodu.core import audit
from tiaodu.core.models import AuditAction

SIGNED_IN_AT = "tiaodu_signed_in_at"
LAST_SEEN_AT = "tiaodu_last_seen_at"
# Pages that a user whose password has expired, or was reset, may still reach.
PASSWORD_EXEMPT = ("accounts:password_change", "accounts:logout", "set_language")
# Pages that a user whose role requires the second factor, and who has none yet, may reach.
ENROLMENT_EXEMPT = ("accounts:two_factor", "accounts:logout", "set_language")


def idle_timeout_for(user: object) -> float:
    values = policy.current()
    if getattr(user, "is_administrator", False):
        return float(values["ADMIN_IDLE_TIMEOUT"].total_seconds())
    return float(values["IDLE_TIMEOUT"].total_seconds())


class SessionPolicyMiddleware:
    """Ends an idle or too-old session; sends an expired or reset password to the change page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The security policy is read once for the whole request (`policy.remembered`).
        with policy.remembered():
            return self._serve(request)

    def _serve(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = timezone.now().timestamp()
            signed_in_at = request.session.get(SIGNED_IN_AT, now)
            last_seen_at = request.session.get(LAST_SEEN_AT, now)
            absolute = policy.current()["ABSOLUTE_TIMEOUT"].total_seconds()
            reason = ""
            if now - last_seen_at > idle_timeout_for(user):
                reason = _(
                    "You were signed out after a period of inactivity. Please sign in again."
                )
            elif now - signed_in_at > absolute:
                reason = _("Your session reached its maximum length. Please sign in again.")
            if reason:
                audit.record(actor=user, action=AuditAction.SESSION_EXPIRED, instance=user)
                sessions.closed(request, SessionEnd.EXPIRED)
                logout(request)
                messages.info(request, reason)
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = reverse(settings.LOGIN_URL)
                    return response
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            request.session[SIGNED_IN_AT] = signed_in_at
            request.session[LAST_SEEN_AT] = now
            sessions.touch(request)
            notice = self._password_notice(user)
            if notice and not self._exempt(request, PASSWORD_EXEMPT):
                return self._send_to(request, "accounts:password_change", notice)
            if second_factor.enrolment_due(user) and not self._exempt(request, ENROLMENT_EXEMPT):
                return self._send_to(
                    request,
                    "accounts:two_factor",
                    _("Your role signs in in two steps: set it up before anything else."),
                )
        return self.get_response(request)

    @staticmethod
    def _send_to(request: HttpRequest, view_name: str, notice: str) -> HttpResponse:
        """To the page the user must pass first, with the reason (HTMX: a full redirect)."""
        messages.warning(request, notice)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse(view_name)
            return response
        return redirect(view_name)

    @classmethod
    def _password_notice(cls, user: object) -> str:
        """Why the user must choose a new password before anything else, if they must."""
        if getattr(user, "must_change_password", False):
            return _("An administrator has reset your password. Please choose a new one first.")
        if cls._password_expired(user):
            return _("Your password has expired. Please choose a new one.")
        return ""

    @staticmethod
    def _password_expired(user: object) -> bool:
        changed: datetime | None = getattr(user, "password_changed_at", None)
        max_age = policy.current()["PASSWORD_MAX_AGE"]
        return changed is not None and timezone.now() - changed > max_age

    @staticmethod
    def _exempt(request: HttpRequest, view_names: tuple[str, ...]) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True
        return match.view_name in view_names

"""What the sign-in's pages share: the refusal's wording, the pending second step, and the
opening of the session once every step is passed."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from tiaodu.accounts import lockout, policy, sessions
from tiaodu.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from tiaodu.accounts.models import User
from tiaodu.accounts.selectors import reset_by_administrator

# A sign-in whose password was right and whose one-time code is due: the user, when, and
# where to go next (second_factor_views.second_step).
PENDING_SIGN_IN = "tiaodu_pending_sign_in"


def refusal(result: lockout.SignInResult) -> str:
    """Why a password was refused or not checked, and when to try again."""
    if result.wait_seconds is not None:
        return _("Too many wrong passwords from your address. Try again in %(n)d seconds.") % {
            "n": result.wait_seconds
        }
    moment = result.refused_until or result.locked_until
    if moment is None:
        return _(
            "Wrong username or password. %(n)d more wrong attempts will lock the "
            "account from your address for %(minutes)d minutes."
        ) % {"n": result.remaining_attempts or 0, "minutes": policy.lock_minutes()}
    until = timezone.localtime(moment)
    when = {"time": until.strftime("%H:%M"), "date": until.strftime("%Y-%m-%d")}
    if result.refused_until is not None:
        return (
            _(
                "Too many wrong passwords from your address: sign-in from it is refused "
                "until %(time)s (%(date)s)."
            )
            % when
        )
    if result.lock_is_account_wide:
        return (
            _(
                "This account is locked after repeated wrong passwords. Try again after "
                "%(time)s (%(date)s), or ask the security administrator to unlock it."
            )
            % when
        )
    return (
        _(
            "This account is locked from your address after repeated wrong passwords. Try "
            "again after %(time)s (%(date)s), or ask the security administrator to unlock it."
        )
        % when
    )


def complete_sign_in(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """Open the session of a user who passed every step, and go where they were going. The
    first sign-in after an administrator reset the password says so, and who."""
    reset = reset_by_administrator(user, user.last_login)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if reset is not None:
        when = timezone.localtime(reset.at)
        messages.warning(
            request,
            _(
                "Your password was reset by the administrator %(who)s on %(date)s at "
                "%(time)s: choose your own now. If you did not ask for it, tell the "
                "security administrator."
            )
            % {
                "who": reset.actor_name,
                "date": when.strftime("%Y-%m-%d"),
                "time": when.strftime("%H:%M"),
            },
        )
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    sessions.opened(request, user)
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("core:home")

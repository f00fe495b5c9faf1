"""Sign-in, sign-out, password change, and the security administrator's lock list."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts import confirmations, lockout, policy, services, sessions
from tiaodu.accounts.area_nav import area_context
from tiaodu.accounts.forms import PasswordChangeForm, SignInForm
from tiaodu.accounts.models import AccountLock, SessionEnd, SignInAttempt, UserRole
from tiaodu.accounts.permissions import unlocks_accounts
from tiaodu.accounts.sign_in_steps import PENDING_SIGN_IN, complete_sign_in
from tiaodu.accounts.sign_in_steps import refusal as sign_in_refusal
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import audit
from tiaodu.core.models import AuditAction
from tiaodu.core.refusals import refusal
from tiaodu.core.roles import ADMINISTRATOR_ROLES


def login_view(request: HttpRequest) -> HttpResponse:
    """Sign in behind the address throttle and the locks; say when to try again."""
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SignInForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        result = lockout.sign_in(
            request=request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if result.ok and result.second_factor_due:
            assert result.user is not None
            request.session[PENDING_SIGN_IN] = {
                "user": result.user.pk,
                "at": timezone.now().timestamp(),
                "next": next_url,
            }
            return redirect("accounts:second_step")
        if result.ok:
            assert result.user is not None
            return complete_sign_in(request, result.user, next_url)
        form.add_error(None, sign_in_refusal(result))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url, "lock_terms": policy.lock_terms()},
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit.record(actor=request.user, action=AuditAction.SIGN_OUT, instance=request.user)
        sessions.closed(request, SessionEnd.SIGNED_OUT)
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@login_required
def password_change(request: SignedInRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        checked = lockout.check_current_password(
            user=request.user, password=form.cleaned_data["old_password"]
        )
        if checked.locked_until is not None:
            # Locked now (from here or everywhere): the session ends with the sign-in.
            audit.record(actor=request.user, action=AuditAction.SIGN_OUT, instance=request.user)
            sessions.closed(request, SessionEnd.LOCKED)
            logout(request)
            messages.error(request, sign_in_refusal(checked))
            return redirect("accounts:login")
        if not checked.ok:
            form.add_error(
                "old_password",
                sign_in_refusal(checked)
                if checked.remaining_attempts is None
                else _(
                    "The current password is not right. %(n)d more wrong attempts will lock "
                    "the account from your address for %(minutes)d minutes."
                )
                % {"n": checked.remaining_attempts, "minutes": policy.lock_minutes()},
            )
            return render(request, "accounts/password_change.html", {"form": form})
        try:
            services.change_password(
                actor=request.user,
                user=request.user,
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as error:
            form.add_error("new_password", error)
        else:
            update_session_auth_hash(request, request.user)
            sessions.rekeyed(request)
            messages.success(request, _("Your password has been changed."))
            return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})


def _require_security_admin(request: HttpRequest) -> None:
    if not unlocks_accounts(request.user):
        raise Http404


@login_required
def locks(request: HttpRequest) -> HttpResponse:
    """Locked accounts now, the addresses the throttle holds back, the locks of the last 30
    days, and failed sign-ins of the last day."""
    _require_security_admin(request)
    now = timezone.now()
    recent = AccountLock.objects.filter(locked_at__gte=now - timedelta(days=30)).select_related(
        "unlocked_by"
    )
    active = [lock for lock in recent if lock.is_active_at(now)]
    failures = (
        SignInAttempt.objects.filter(success=False, at__gte=now - timedelta(hours=24))
        .values("username")
        .annotate(
            failures=Count("id"),
            addresses=Count("source_address", distinct=True),
            last_at=Max("at"),
        )
        .order_by("-failures", "-last_at", "username")[:100]
    )
    locked = {lock.username for lock in active}
    context = {
        "now": now,
        "active": active,
        "recent": recent[:200],
        "failures": [{**row, "locked": row["username"] in locked} for row in failures],
        "administrators": _administrator_usernames(sorted(locked)),
        "held": lockout.held_addresses(now=now),
        "lock_terms": policy.lock_terms(),
        **area_context(request, "locks"),
    }
    return render(request, "accounts/locks.html", context)


@login_required
@require_POST
def unlock_account(request: SignedInRequest, pk: int) -> HttpResponse:
    _require_security_admin(request)
    lock = get_object_or_404(AccountLock, pk=pk, unlocked_at__isnull=True)
    try:
        if _administrator_usernames([lock.username]):
            asked = confirmations.request_unlock(actor=request.user, lock=lock)
            messages.success(request, confirmations.asked_message(asked))
        else:
            lockout.unlock(actor=request.user, lock=lock)
            messages.success(request, _("Account %(name)s is unlocked.") % {"name": lock.username})
    except ValidationError as error:
        messages.error(request, refusal(error))
    return redirect("accounts:locks")


def _administrator_usernames(usernames: list[str]) -> set[str]:
    """Those of the usernames that are administrators' accounts (unlocked on confirmation)."""
    return set(
        UserRole.objects.filter(
            user__username__in=usernames, role__in=ADMINISTRATOR_ROLES
        ).values_list("user__username", flat=True)
    )

"""The second factor's pages: the sign-in's second step, the enrolment page (also the page
of one's recovery codes), and the security administrator's reset (docs/security.md)."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tiaodu.accounts import confirmations, policy, second_factor
from tiaodu.accounts.models import User
from tiaodu.accounts.permissions import resets_second_factors
from tiaodu.accounts.services import is_administrator
from tiaodu.accounts.sign_in_steps import PENDING_SIGN_IN, complete_sign_in, refusal
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import refusals
from tiaodu.core.refusals import errors_onto

# The second step must follow the password within this time.
PENDING_FOR = timedelta(minutes=5)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "text"}
        ),
    )


def second_step(request: HttpRequest) -> HttpResponse:
    """After a right password: the one-time code from the app, or a recovery code."""
    pending = request.session.get(PENDING_SIGN_IN)
    if not isinstance(pending, dict):
        pending = {}
    user = None
    user_id = pending.get("user")
    if isinstance(user_id, int):
        started = timezone.now().timestamp() - float(pending.get("at", 0))
        if started <= PENDING_FOR.total_seconds():
            user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        request.session.pop(PENDING_SIGN_IN, None)
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = second_factor.verify(user=user, code=form.cleaned_data["code"])
        if result.ok:
            next_url = str(pending.get("next") or "")
            request.session.pop(PENDING_SIGN_IN, None)
            return complete_sign_in(request, user, next_url)
        if result.locked_until is not None or result.refused_until is not None:
            request.session.pop(PENDING_SIGN_IN, None)
            messages.error(request, refusal(result))
            return redirect("accounts:login")
        form.add_error(
            "code",
            refusal(result)
            if result.remaining_attempts is None
            else _(
                "The code is not right. %(n)d more wrong attempts will lock the account from "
                "your address for %(minutes)d minutes."
            )
            % {"n": result.remaining_attempts, "minutes": policy.lock_minutes()},
        )
    return render(request, "accounts/second_step.html", {"form": form, "account": user})


@login_required
def two_factor(request: SignedInRequest) -> HttpResponse:
    """Enrol (scan, type a code), or, once enrolled, see the state and make new recovery
    codes; the codes are shown once, in the answer that makes them."""
    user = request.user
    device = second_factor.confirmed_device(user)
    context: dict[str, object] = {
        "required": second_factor.required_for(user),
        "device": device,
    }
    if device is not None:
        if request.method == "POST" and request.POST.get("action") == "codes":
            context["codes"] = second_factor.new_recovery_codes(actor=user)
        elif request.method == "POST" and request.POST.get("action") == "off":
            second_factor.turn_off(actor=user)
            messages.success(request, _("Two-step sign-in is turned off."))
            return redirect("accounts:two_factor")
        context["unused_codes"] = second_factor.unused_recovery_codes(user)
        return render(request, "accounts/two_factor.html", context)
    pending = second_factor.pending_device(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.confirm_enrolment(
                actor=user, device=pending, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("Two-step sign-in is on."))
            context.update(device=second_factor.confirmed_device(user), codes=codes)
            context["unused_codes"] = len(codes)
            return render(request, "accounts/two_factor.html", context)
    context.update(
        form=form,
        qr=second_factor.qr_svg(pending),
        secret=second_factor.secret_text(pending),
    )
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def reset(request: SignedInRequest, pk: int) -> HttpResponse:
    """The security administrator removes an account's second factor (a lost phone)."""
    if not resets_second_factors(request.user):
        raise Http404
    user = get_object_or_404(User, pk=pk)
    try:
        if is_administrator(user):
            confirmations.request_second_factor_reset(actor=request.user, user=user)
        else:
            second_factor.reset(actor=request.user, user=user)
    except ValidationError as error:
        messages.error(request, refusals.refusal(error))
        return redirect("administration:user", pk=user.pk)
    if is_administrator(user):
        messages.success(
            request,
            _(
                "Asked: the two-step sign-in of %(name)s is reset when a second administrator "
                "confirms it on the requests page."
            )
            % {"name": user},
        )
    else:
        messages.success(
            request,
            _(
                "The two-step sign-in of %(name)s is reset: they sign in with the password, "
                "and set it up again at once if their role requires it."
            )
            % {"name": user},
        )
    return redirect("administration:user", pk=user.pk)

"""The security administrator's pages of the administration area: the security policy (set
it), the signed-in sessions (end one) and every account's API tokens (revoke one). The account locks are
`views.locks`, shown in the same area."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts import policy, services, sessions
from tiaodu.accounts.area_forms import SecurityPolicyForm
from tiaodu.accounts.area_nav import area_context, require
from tiaodu.accounts.models import ApiToken, SecurityPolicy, SignedInSession
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.accounts.tokens import revoke_api_token
from tiaodu.core.refusals import errors_onto, refusal

PER_PAGE = 50


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    """Sessions still open, by last activity; a text finds a user's."""
    require(request, "sessions")
    text = request.GET.get("q", "").strip()
    found = sessions.active_sessions()
    if text:
        found = found.filter(
            Q(user__username__icontains=text)
            | Q(user__display_name__icontains=text)
            | Q(source_address__icontains=text)
        )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **area_context(request, "sessions"),
        "page": page,
        "query": f"q={text}" if text else "",
        "text": text,
        "current_key": request.session.session_key,
        "now": timezone.now(),
    }
    return render(request, "accounts/area/sessions.html", context)


@login_required
@require_POST
def session_end(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request, "sessions")
    session = get_object_or_404(SignedInSession.objects.select_related("user"), pk=pk)
    try:
        sessions.end_session(
            actor=request.user, session=session, current_key=request.session.session_key
        )
    except ValidationError as error:
        messages.error(request, refusal(error))
    else:
        messages.success(
            request,
            _("The session of %(name)s is ended: that browser must sign in again.")
            % {"name": session.user},
        )
    return redirect("administration:sessions")


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """Every account's API tokens, those in force first."""
    require(request, "tokens")
    text = request.GET.get("q", "").strip()
    tokens = ApiToken.objects.select_related("user").order_by("revoked_at", "-created_at")
    if text:
        tokens = tokens.filter(
            Q(user__username__icontains=text) | Q(name__icontains=text) | Q(prefix=text)
        )
    page = Paginator(tokens, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **area_context(request, "tokens"),
        "page": page,
        "query": f"q={text}" if text else "",
        "text": text,
        "now": timezone.now(),
    }
    return render(request, "accounts/area/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request, "tokens")
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    try:
        revoke_api_token(actor=request.user, token=token)
    except PermissionDenied as error:
        messages.error(request, refusal(error))
    else:
        messages.success(
            request,
            _("The token “%(name)s” of %(user)s no longer works.")
            % {"name": token.name, "user": token.user},
        )
    return redirect("administration:tokens")


@login_required
def security_policy(request: SignedInRequest) -> HttpResponse:
    """The security policy in force, and its form: the password, idle, lock and two-step
    values the site may make stricter than the MLPS level 3 profile (`accounts.policy`)."""
    require(request, "policy")
    if request.method == "POST":
        form = SecurityPolicyForm(request.POST)
        if form.is_valid():
            try:
                services.update_security_policy(actor=request.user, **form.cleaned_data)
            except (PermissionDenied, ValidationError) as error:
                errors_onto(form, error)
            else:
                messages.success(request, _("The security policy is saved and in force."))
                return redirect("administration:policy")
    else:
        form = SecurityPolicyForm(initial=policy.in_force())
    row = SecurityPolicy.objects.select_related("updated_by").first()
    context = {**area_context(request, "policy"), "form": form, "saved": row}
    return render(request, "accounts/area/policy.html", context)

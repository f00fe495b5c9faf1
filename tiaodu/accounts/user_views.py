"""Accounts in the administration area: the list with its filters, an account's page.

The system administrator creates accounts, edits them, deactivates them and resets their
passwords; the security administrator grants and takes away their roles (DOMAIN.md §2). An
act on an administrator's account (an administrator role given or taken away, a reset, a
deactivation or activation, a new username) is asked for by the security administrator and
done when a second administrator confirms it (`accounts.confirmations`).
Both see the list. Every change goes through `accounts.services`, which audits it.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts import confirmations, second_factor, services
from tiaodu.accounts.area_forms import (
    RoleAssignForm,
    UserCreateForm,
    UserFilterForm,
    UsernameChangeForm,
    UserProfileForm,
)
from tiaodu.accounts.area_nav import area_context, require
from tiaodu.accounts.forms import TemporaryPasswordForm
from tiaodu.accounts.models import User, UserRole
from tiaodu.accounts.permissions import grants_roles, manages_accounts, resets_second_factors
from tiaodu.accounts.selectors import locked_now, users_for_list
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core.refusals import errors_onto, refusal
from tiaodu.core.roles import ADMINISTRATOR_ROLES

PER_PAGE = 50


def _require_accounts(request: HttpRequest) -> None:
    if not manages_accounts(request.user):
        raise Http404


def _require_roles(request: HttpRequest) -> None:
    if not grants_roles(request.user):
        raise Http404


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require(request, "users")
    form = UserFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "text": data["q"],
            "role": data["role"],
            "unit": data["unit"],
            "status": data["status"],
        }
    page = Paginator(users_for_list(**filters), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **area_context(request, "users"),
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "query": query.urlencode(),
        "may_create": manages_accounts(request.user),
    }
    return render(request, "accounts/area/users.html", context)


def _detail(request: HttpRequest, user: User, status: int = 200, **forms: Any) -> HttpResponse:
    password_form = forms.get("password_form") or TemporaryPasswordForm(prefix="password")
    password_form.fields["password1"].widget.attrs.pop("autofocus", None)
    administrator = services.is_administrator(user)
    may_reset = user.pk != request.user.pk and (
        grants_roles(request.user) if administrator else manages_accounts(request.user)
    )
    context = {
        "is_administrator": administrator,
        "may_reset": may_reset,
        "waiting": confirmations.open_requests().filter(target=user).select_related("requested_by"),
        **area_context(request, "users"),
        "account": user,
        "assignments": user.role_assignments.select_related("org_unit").order_by("role"),
        "locked": locked_now().filter(username=user.username).exists(),
        "may_manage": manages_accounts(request.user),
        "may_grant": grants_roles(request.user),
        "profile_form": forms.get("profile_form") or _profile_form(user),
        "role_form": forms.get("role_form") or RoleAssignForm(),
        # Deactivate or activate: not one's own account.
        "may_switch": user.pk != request.user.pk
        and (grants_roles(request.user) if administrator else manages_accounts(request.user)),
        "username_form": forms.get("username_form") or UsernameChangeForm(),
        "password_form": password_form,
        "sessions": user.signed_in_sessions.filter(ended_at__isnull=True)[:5],
        "second_factor": second_factor.confirmed_device(user),
        "may_reset_second_factor": resets_second_factors(request.user),
    }
    return render(request, "accounts/area/user_detail.html", context, status=status)


def _profile_form(user: User, data: Any = None) -> UserProfileForm:
    """The profile as the system administrator edits it; an administrator's username is
    shown but not edited here (it changes on a confirmed request)."""
    form = UserProfileForm(
        data,
        initial={
            "username": user.username,
            "display_name": user.display_name,
            "org_unit": user.org_unit_id,
            "phone": user.phone,
            "email": user.email,
        },
    )
    if services.is_administrator(user):
        form.fields["username"].disabled = True
        form.fields["username"].help_text = _(
            "An administrator's username is changed only at the security administrator's "
            "request, confirmed by a second administrator."
        )
    return form


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "users")
    return _detail(request, get_object_or_404(User, pk=pk))


@login_required
def user_create(request: SignedInRequest) -> HttpResponse:
    _require_accounts(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                actor=request.user,
                username=data["username"],
                password=data["password1"],
                display_name=data["display_name"],
                org_unit=data["org_unit"],
                email=data["email"],
                phone=data["phone"],
                must_change_password=True,
            )
        except ValidationError as error:
            errors_onto(form, _password_onto(error))
        else:
            messages.success(
                request,
                _(
                    "The account %(name)s is created. The security administrator gives it its "
                    "roles; at the first sign-in it must choose its own password."
                )
                % {"name": user},
            )
            return redirect("administration:user", pk=user.pk)
    context = {**area_context(request, "users"), "form": form}
    return render(
        request, "accounts/area/user_create.html", context, status=400 if form.errors else 200
    )


def _password_onto(error: ValidationError) -> ValidationError:
    """The password policy's refusal (a plain list) belongs to the password field."""
    if hasattr(error, "error_dict"):
        return error
    return ValidationError({"password1": error.messages})


@login_required
@require_POST
def user_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    _require_accounts(request)
    user = get_object_or_404(User, pk=pk)
    form = _profile_form(user, request.POST)
    if form.is_valid():
        try:
            services.update_user(actor=request.user, user=user, **form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("The account %(name)s is saved.") % {"name": user})
            return redirect("administration:user", pk=user.pk)
    user.refresh_from_db()
    return _detail(request, user, status=400, profile_form=form)


@login_required
@require_POST
def user_active(request: SignedInRequest, pk: int) -> HttpResponse:
    """Deactivate an account (it can no longer sign in; its records stay) or activate it:
    the system administrator for an ordinary account; for an administrator's account the
    security administrator asks and a second administrator confirms."""
    user = get_object_or_404(User, pk=pk)
    administrator = services.is_administrator(user)
    if not (grants_roles(request.user) if administrator else manages_accounts(request.user)):
        raise Http404
    active = request.POST.get("active") == "1"
    try:
        if administrator:
            if active:
                asked = confirmations.request_activation(actor=request.user, user=user)
            else:
                asked = confirmations.request_deactivation(actor=request.user, user=user)
        else:
            services.update_user(actor=request.user, user=user, is_active=active)
    except ValidationError as error:
        messages.error(request, refusal(error))
        return redirect("administration:user", pk=user.pk)
    if administrator:
        messages.success(request, confirmations.asked_message(asked))
    elif active:
        messages.success(request, _("%(name)s can sign in again.") % {"name": user})
    else:
        messages.success(
            request, _("%(name)s is deactivated and can no longer sign in.") % {"name": user}
        )
    return redirect("administration:user", pk=user.pk)


@login_required
@require_POST
def user_username(request: SignedInRequest, pk: int) -> HttpResponse:
    """Ask that an administrator's account sign in under another username (the security
    administrator; done when a second administrator confirms)."""
    _require_roles(request)
    user = get_object_or_404(User, pk=pk)
    if not services.is_administrator(user):
        raise Http404
    form = UsernameChangeForm(request.POST)
    if form.is_valid():
        try:
            asked = confirmations.request_username_change(
                actor=request.user, user=user, username=form.cleaned_data["username"]
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, confirmations.asked_message(asked))
            return redirect("administration:user", pk=user.pk)
    return _detail(request, user, status=400, username_form=form)


@login_required
@require_POST
def user_password(request: SignedInRequest, pk: int) -> HttpResponse:
    """A temporary password, to be changed at the next sign-in: the system administrator
    sets it (`services.reset_password`); for an administrator's account the security
    administrator asks for it and a second administrator confirms
    (`confirmations.request_password_reset`). A lock stays until it ends or the security
    administrator lifts it."""
    user = get_object_or_404(User, pk=pk)
    administrator = services.is_administrator(user)
    if not (grants_roles(request.user) if administrator else manages_accounts(request.user)):
        raise Http404
    form = TemporaryPasswordForm(request.POST, prefix="password")
    if form.is_valid():
        password = form.cleaned_data["password1"]
        try:
            if administrator:
                asked = confirmations.request_password_reset(
                    actor=request.user, user=user, new_password=password
                )
            else:
                services.reset_password(actor=request.user, user=user, new_password=password)
        except ValidationError as error:
            errors_onto(form, _password_onto(error))
        else:
            if administrator:
                messages.success(request, confirmations.asked_message(asked))
            else:
                messages.success(
                    request,
                    _(
                        "The password of %(name)s is reset. They must choose a new one at "
                        "their next sign-in."
                    )
                    % {"name": user},
                )
                if locked_now().filter(username=user.username).exists():
                    messages.warning(
                        request,
                        _(
                            "The account is still locked: it opens when the lock runs out, "
                            "or when the security administrator unlocks it."
                        ),
                    )
            return redirect("administration:user", pk=user.pk)
    return _detail(request, user, status=400, password_form=form)


@login_required
@require_POST
def role_assign(request: SignedInRequest, pk: int) -> HttpResponse:
    """Give a role (the security administrator); an administrator role is asked for, and
    given when a second administrator confirms."""
    _require_roles(request)
    user = get_object_or_404(User, pk=pk)
    form = RoleAssignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if user.role_assignments.filter(role=data["role"]).exists():
            form.add_error(
                "role",
                _(
                    "This account already holds this role: take it away first to give it on another unit."
                ),
            )
        else:
            try:
                if data["role"] in ADMINISTRATOR_ROLES:
                    asked = confirmations.request_role_grant(
                        actor=request.user, user=user, role=data["role"]
                    )
                else:
                    services.assign_role(
                        actor=request.user,
                        user=user,
                        role=data["role"],
                        org_unit=data["org_unit"],
                        assigned_only=data["assigned_only"],
                    )
            except ValidationError as error:
                errors_onto(form, error)
            else:
                if data["role"] in ADMINISTRATOR_ROLES:
                    messages.success(request, confirmations.asked_message(asked))
                else:
                    messages.success(request, _("The role is given to %(name)s.") % {"name": user})
                return redirect("administration:user", pk=user.pk)
    return _detail(request, user, status=400, role_form=form)


@login_required
@require_POST
def role_remove(request: SignedInRequest, pk: int, role_pk: int) -> HttpResponse:
    """Take a role away (the security administrator); an administrator role is asked for."""
    _require_roles(request)
    assignment = get_object_or_404(UserRole.objects.select_related("user"), pk=role_pk, user_id=pk)
    if assignment.role in ADMINISTRATOR_ROLES:
        try:
            asked = confirmations.request_role_removal(actor=request.user, assignment=assignment)
        except ValidationError as error:
            messages.error(request, refusal(error))
        else:
            messages.success(request, confirmations.asked_message(asked))
        return redirect("administration:user", pk=pk)
    services.remove_role(actor=request.user, assignment=assignment)
    messages.success(
        request,
        _("%(role)s is taken away from %(name)s.")
        % {"role": assignment.get_role_display(), "name": assignment.user},
    )
    return redirect("administration:user", pk=pk)

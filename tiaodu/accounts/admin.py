"""Org units, users and people in the management area (/manage/).

Every save goes through `tiaodu.accounts.services`, which validates, writes and audits; so
does the reset of another account's password to a temporary one (refused, on the form, for
an administrator's account: that needs a second administrator, docs/administration.md).
An account's roles are shown here but not edited: giving and taking away roles is the
security administrator's, in the administration area (DOMAIN.md §2); so is asking for an
administrator's account to be deactivated, activated or renamed, which a second
administrator confirms: here its username and status are read-only, as is one's own status.
"""

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts import org_units, services
from tiaodu.accounts.forms import TemporaryPasswordForm
from tiaodu.accounts.models import OrgUnit, Person, User, UserRole
from tiaodu.accounts.signed_in import user_of
from tiaodu.core.admin_site import (
    ManagementModelAdmin,
    adopt,
    changed_fields,
    management_site,
)

ORG_UNIT_FIELDS = (
    "name",
    "kind",
    "parent",
    "region_code",
    "credit_code",
    "contact_phone",
    "is_active",
)
USER_PROFILE_FIELDS = ("username", "display_name", "org_unit", "email", "phone")
PERSON_FIELDS = ("name", "title", "org_unit", "phone", "user")
OWN_PASSWORD = _("You cannot reset your own password here: change it with your current password.")


@admin.register(OrgUnit, site=management_site)
class OrgUnitAdmin(ManagementModelAdmin):
    list_display = ["name", "kind", "region_code", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "region_code", "credit_code"]
    autocomplete_fields = ["parent"]
    fields = ORG_UNIT_FIELDS
    ordering = ["path"]
    list_per_page = 50

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "parent" in form.base_fields:
            # A unit cannot move under itself or its own subunits.
            parent = cast(forms.ModelChoiceField, form.base_fields["parent"])
            parent.queryset = OrgUnit.objects.exclude(path__startswith=obj.path)
        return form

    def save_model(self, request: HttpRequest, obj: OrgUnit, form: Any, change: bool) -> None:
        if change:
            current = OrgUnit.objects.get(pk=obj.pk)
            org_units.update_org_unit(actor=user_of(request), unit=current, **changed_fields(form))
            adopt(obj, current)
            return
        data = dict(form.cleaned_data)
        created = org_units.create_org_unit(
            actor=user_of(request),
            name=data.pop("name"),
            kind=data.pop("kind"),
            parent=data.pop("parent"),
            region_code=data.pop("region_code"),
            **data,
        )
        adopt(obj, created)


class UserAddForm(forms.ModelForm):
    """A new account: its profile and a first password that passes the password policy."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = USER_PROFILE_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password1")
        if password and password != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif password:
            candidate = User(
                username=data.get("username", ""),
                display_name=data.get("display_name", ""),
                email=data.get("email", ""),
            )
            try:
                validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


@admin.register(User, site=management_site)
class UserAdmin(ManagementModelAdmin):
    list_display = ["username", "display_name", "org_unit", "is_active", "roles"]
    list_filter = ["is_active", "role_assignments__role"]
    list_select_related = ["org_unit"]
    search_fields = ["username", "display_name", "email", "phone", "org_unit__name"]
    autocomplete_fields = ["org_unit"]
    readonly_fields = [
        "roles",
        "last_login",
        "date_joined",
        "password_changed_at",
        "must_change_password",
    ]
    ordering = ["username"]
    list_per_page = 50
    change_form_template = "accounts/admin/user_change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        assignments = UserRole.objects.select_related("org_unit").order_by("role")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("role_assignments", queryset=assignments))
        )

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        return "、".join(
            f"{a.get_role_display()}（{a.org_unit}）" if a.org_unit else str(a.get_role_display())
            for a in user.role_assignments.all()
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [(None, {"fields": [*USER_PROFILE_FIELDS, "password1", "password2"]})]
        return [
            (None, {"fields": [*USER_PROFILE_FIELDS, "is_active"]}),
            # Shown, not edited: roles are the security administrator's (DOMAIN.md §2).
            (_("Roles"), {"fields": ["roles"]}),
            (
                _("Sign-in"),
                {
                    "fields": [
                        "last_login",
                        "password_changed_at",
                        "must_change_password",
                        "date_joined",
                    ]
                },
            ),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return []
        fields = list(self.readonly_fields)
        if services.is_administrator(obj):
            # Deactivated, activated or renamed only on a confirmed request (三权分立).
            fields += ["username", "is_active"]
        elif obj.pk == request.user.pk:
            fields.append("is_active")
        return fields

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = UserAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:
            fields = changed_fields(form)
            if fields:
                current = User.objects.get(pk=obj.pk)
                services.update_user(actor=user_of(request), user=current, **fields)
            return
        data = form.cleaned_data
        created = services.create_user(
            actor=user_of(request),
            username=data["username"],
            password=data["password1"],
            display_name=data.get("display_name", ""),
            org_unit=data.get("org_unit"),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
        )
        adopt(obj, created)

    def response_add(
        self, request: HttpRequest, obj: User, post_url_continue: Any = None
    ) -> HttpResponse:
        if "_addanother" in request.POST or IS_POPUP_VAR in request.POST:
            return super().response_add(request, obj, post_url_continue)
        # Go on to the account's page; the security administrator gives its roles.
        self.message_user(
            request,
            _(
                "The account %(name)s is created. The security administrator gives it its "
                "roles; at the first sign-in it must choose its own password."
            )
            % {"name": obj},
            messages.SUCCESS,
        )
        change_url = reverse(
            "admin:accounts_user_change", args=[obj.pk], current_app=self.admin_site.name
        )
        return HttpResponseRedirect(change_url)

    def get_urls(self) -> list[URLPattern]:
        reset = path(
            "<int:object_id>/reset-password/",
            self.admin_site.admin_view(self.reset_password_view),
            name="accounts_user_reset_password",
        )
        return [reset, *super().get_urls()]

    def reset_password_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Give another account a temporary password, to be changed at its next sign-in."""
        user = self.get_object(request, str(object_id))
        if user is None or not self.has_change_permission(request, user):
            raise Http404
        if user.pk == request.user.pk:
            self.message_user(request, OWN_PASSWORD, messages.WARNING)
            return redirect("accounts:password_change")
        request.current_app = self.admin_site.name
        form = TemporaryPasswordForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.reset_password(
                    actor=user_of(request), user=user, new_password=form.cleaned_data["password1"]
                )
            except ValidationError as error:
                form.add_error("password1", error)
            else:
                self.message_user(
                    request,
                    _(
                        "The password of %(name)s is reset. They must choose a new one at "
                        "their next sign-in."
                    )
                    % {"name": user},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(
                        "admin:accounts_user_change",
                        args=[user.pk],
                        current_app=self.admin_site.name,
                    )
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reset the password of %(name)s") % {"name": user},
            "opts": self.opts,
            "original": user,
            "form": form,
        }
        return TemplateResponse(request, "accounts/admin/reset_password.html", context)


@admin.register(Person, site=management_site)
class PersonAdmin(ManagementModelAdmin):
    list_display = ["name", "title", "org_unit", "phone", "user"]
    list_select_related = ["org_unit", "user"]
    search_fields = ["name", "title", "phone", "org_unit__name"]
    autocomplete_fields = ["org_unit", "user"]
    fields = PERSON_FIELDS
    list_per_page = 50

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        if change:
            current = Person.objects.get(pk=obj.pk)
            services.update_person(actor=user_of(request), person=current, **changed_fields(form))
            adopt(obj, current)
            return
        data = dict(form.cleaned_data)
        created = services.create_person(actor=user_of(request), name=data.pop("name"), **data)
        adopt(obj, created)

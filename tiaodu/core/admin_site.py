"""The management area (/manage/): Django's admin machinery, for the system administrator only.

Everyone else meets a 404 there (an anonymous visitor is sent to the sign-in page), so the
area cannot be discovered. Sign-in, sign-out and password changes go through Tiaodu's own
pages, which enforce the lockout and the password policy and write the audit log.
"""

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from tiaodu.core.permissions import manages_site


def is_system_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and manages_site(user))


class ManagementSite(admin.AdminSite):
    site_header = _("Tiaodu · Administration")
    site_title = _("Administration")
    index_title = _("Org units, users, roles and lists")
    enable_nav_sidebar = False
    index_template = "management/index.html"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_system_admin(request)

    def _refuse(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
        raise Http404

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Any:
        """Every page of the area: the system administrator, or a 404 (sign-in if anonymous)."""

        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not self.has_permission(request):
                return self._refuse(request)
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as denied:
                # A forbidden page answers 404 here as everywhere (DESIGN.md, rule 2).
                raise Http404 from denied

        if not cacheable:
            inner = never_cache(inner)
        if not getattr(view, "csrf_exempt", False):
            inner = csrf_protect(inner)
        return update_wrapper(inner, view)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """No second sign-in form: Tiaodu's own page enforces the lockout."""
        if self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        return self._refuse(request)

    def logout(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:  # type: ignore[override]
        """Sign out through Tiaodu's own page, which records the sign-out."""
        return _view_of("accounts:logout")(request)

    def password_change(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:  # type: ignore[override]
        # The admin's form would skip the password history; Tiaodu's page applies it.
        return redirect("accounts:password_change")

    def password_change_done(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:  # type: ignore[override]
        return redirect("core:home")


def _view_of(url_name: str) -> Callable[[HttpRequest], HttpResponse]:
    # Resolved by name: core may not import the accounts app (DESIGN.md, rule 7).
    return resolve(reverse(url_name)).func


class ManagementModelAdmin(admin.ModelAdmin):
    """A model page of the management area: the system administrator alone, writes by services.

    Subclasses write in `save_model` through a service. Django's own change log is not
    written: the audit log, which the services write, is the record, and the system
    administrator may not read it (DOMAIN.md §9).
    """

    change_form_template = "management/change_form.html"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_system_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_system_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Units, accounts, people and lists are deactivated or kept, never deleted: records
        # point at them, and no service deletes them.
        return False

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> Any:
        # Only Django's change log reads it, and that log is not written here.
        return []

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> None:  # type: ignore[override]
        return None

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> None:  # type: ignore[override]
        return None

    def log_deletions(self, request: HttpRequest, queryset: Any) -> None:  # type: ignore[override]
        return None


def changed_fields(form: Any) -> dict[str, Any]:
    """The cleaned values of the fields a person changed in a model form."""
    return {
        name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data
    }


def adopt(target: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved form instance stand for the row a service created."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


management_site = ManagementSite(name="management")
management_site.disable_action("delete_selected")

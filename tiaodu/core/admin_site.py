"""The management area (/manage/): Django's admin machinery, for the system administrator only."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tiaodu.core.roles import Role


class ManagementSite(admin.AdminSite):
    site_header = _("Tiaodu · Administration")
    site_title = _("Administration")
    index_title = _("Org units, users, roles and lists")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active and user.is_authenticated and Role.SYSTEM_ADMIN in user.roles  # type: ignore[union-attr]
        )


management_site = ManagementSite(name="management")

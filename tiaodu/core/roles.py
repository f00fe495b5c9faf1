"""The roles of DOMAIN.md §2. Defined here so that the scoping function can speak of them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")
    DISPATCHER = "dispatcher", _("Dispatcher")
    LEADER = "leader", _("Leader")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")
    SERVICE_OFFICER = "service_officer", _("Service officer")
    REPORTER = "reporter", _("Reporter")


# 三权分立: no account holds two of these, and none of them reads business data.
ADMINISTRATOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
BUSINESS_ROLES = frozenset(set(Role) - ADMINISTRATOR_ROLES)

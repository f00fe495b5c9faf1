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
    FINANCIAL_INSTITUTION = "financial_institution", _("Financial institution")


# 三权分立: no account holds two of these, and none of them reads business data.
ADMINISTRATOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
# A financial institution (a bank, a fund) is outside the commission: it reads the published
# financing-needs lists and answers them, and nothing else of the site (DOMAIN.md §11).
OUTSIDE_ROLES = frozenset({Role.FINANCIAL_INSTITUTION})
# The roles of the dispatch work, which read projects within their scope.
BUSINESS_ROLES = frozenset(set(Role) - ADMINISTRATOR_ROLES - OUTSIDE_ROLES)

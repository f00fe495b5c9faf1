"""The menu items of the home page and of the administrators' pages (core's and ours)."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import register_item
from tiaodu.accounts.permissions import manages_displays, unlocks_accounts
from tiaodu.core import listing as lists
from tiaodu.core.permissions import manages_site, reads_audit_log


def register() -> None:
    register_item("home", _("Home"), "core:home", icon="home", order=10)
    register_item(
        "audit_log", _("Audit log"), "core:audit_log",
        icon="list-search", order=900, visible=reads_audit_log,
    )  # fmt: skip
    register_item(
        "account_locks", _("Account locks"), "accounts:locks",
        icon="lock", order=910, visible=unlocks_accounts,
    )  # fmt: skip
    register_item(
        "wall_displays", _("Wall displays"), "accounts:displays",
        icon="device-tv", order=915, visible=manages_displays,
    )  # fmt: skip
    register_item(
        "administration", _("Administration"), "management:index",
        icon="settings", order=920, visible=manages_site,
    )  # fmt: skip
    lists.not_a_list("core:home", _("the home page's panels"))
    lists.own_export("core:audit_log", "core:audit_log_export")
    lists.not_a_list("accounts:locks", _("the security administrator's page, not a business list"))
    lists.not_a_list(
        "accounts:displays", _("the security administrator's page, not a business list")
    )
    lists.not_a_list("management:index", _("the management area"))

"""The menu items of the home page and of the administrators' pages (core's and ours)."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.area_nav import opens_area
from tiaodu.accounts.capabilities import register_action
from tiaodu.accounts.navigation import register_item
from tiaodu.accounts.permissions import (
    confirms_admin_actions,
    grants_roles,
    manages_accounts,
    manages_displays,
    manages_sessions,
    unlocks_accounts,
)
from tiaodu.core import listing as lists
from tiaodu.core.permissions import reads_audit_log


def register() -> None:
    register_item("home", _("Home"), "core:home", icon="home", order=10)
    register_item(
        "audit_log", _("Audit log"), "core:audit_log",
        icon="list-search", order=900, visible=reads_audit_log,
    )  # fmt: skip
    register_item(
        "wall_displays", _("Wall displays"), "accounts:displays",
        icon="device-tv", order=915, visible=manages_displays,
    )  # fmt: skip
    register_item(
        "administration", _("Administration"), "administration:index",
        icon="settings", order=920, visible=opens_area,
    )  # fmt: skip
    register_actions()


def register_actions() -> None:
    """The administrators' actions in the role–page matrix (docs/administration.md)."""
    section = _("Administration")
    register_action(
        "accounts.units", _("Add, rename and move org units"), section=section, order=900,
        check=lambda actor, _place: manages_accounts(actor),
    )  # fmt: skip
    register_action(
        "accounts.users", _("Create, edit and deactivate accounts"), section=section,
        order=910, check=lambda actor, _place: manages_accounts(actor),
    )  # fmt: skip
    register_action(
        "accounts.roles", _("Give and take away roles"), section=section, order=920,
        check=lambda actor, _place: grants_roles(actor),
    )  # fmt: skip
    register_action(
        "accounts.unlock", _("Unlock accounts"), section=section, order=930,
        check=lambda actor, _place: unlocks_accounts(actor),
    )  # fmt: skip
    register_action(
        "accounts.confirm", _("Confirm acts on another administrator's account"),
        section=section, order=935, check=lambda actor, _place: confirms_admin_actions(actor),
    )  # fmt: skip
    register_action(
        "accounts.sessions", _("End sessions and revoke API tokens"), section=section,
        order=940, check=lambda actor, _place: manages_sessions(actor),
    )  # fmt: skip
    register_action(
        "core.audit", _("Read and export the audit log"), section=section, order=950,
        check=lambda actor, _place: reads_audit_log(actor),
    )  # fmt: skip
    lists.not_a_list("core:home", _("the home page's panels"))
    lists.own_export("core:audit_log", "core:audit_log_export")
    lists.not_a_list("accounts:locks", _("the security administrator's page, not a business list"))
    lists.not_a_list(
        "accounts:displays", _("the security administrator's page, not a business list")
    )
    lists.not_a_list("administration:index", _("the administration area"))

"""The dispatch rounds' menu items (registered in `ReportingConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.capabilities import register_action
from tiaodu.accounts.models import OrgUnit
from tiaodu.accounts.navigation import DISPATCH, register_item
from tiaodu.core import listing as lists
from tiaodu.reporting import listings  # noqa: F401 (registers the lists)
from tiaodu.reporting.permissions import (
    is_reviewer,
    manages_dispatch_settings,
    may_grant_lock_exception,
    may_set_cycles,
    reads_board,
    reports_due,
)


def register() -> None:
    register_item(
        "reporting.due", _("My reports due"), "reporting:due", DISPATCH,
        icon="clipboard-list", order=100, visible=reports_due,
    )  # fmt: skip
    register_item(
        "reporting.board", _("Reporting completeness"), "reporting:board", DISPATCH,
        icon="checklist", order=110, visible=reads_board,
    )  # fmt: skip
    register_item(
        "reporting.queue", _("Reports to review"), "reporting:queue", DISPATCH,
        icon="clipboard-check", order=700, visible=is_reviewer,
    )  # fmt: skip
    register_item(
        "reporting.settings", _("Dispatch settings"), "reporting:settings", DISPATCH,
        icon="adjustments", order=710, visible=manages_dispatch_settings,
    )  # fmt: skip
    lists.not_a_list("reporting:settings", _("a settings form"))
    register_actions()


def register_actions() -> None:
    """Reporting's actions in the role–page matrix (docs/administration.md)."""
    section = _("Dispatch")
    register_action(
        "reporting.fill", _("Fill and submit reports"), section=section, order=200,
        check=lambda actor, _place: reports_due(actor),
    )  # fmt: skip
    register_action(
        "reporting.review", _("Review reports"), section=section, order=210,
        check=lambda actor, _place: is_reviewer(actor),
    )  # fmt: skip
    register_action(
        "reporting.cycles", _("Set the reporting cycles"), section=section, order=220,
        check=lambda actor, _place: may_set_cycles(actor),
    )  # fmt: skip
    register_action(
        "reporting.lock_exception", _("Let a unit report after the lock date"),
        section=section, order=230,
        check=lambda actor, place: may_grant_lock_exception(
            actor, OrgUnit(path=place.owner_unit_path)
        ),
    )  # fmt: skip

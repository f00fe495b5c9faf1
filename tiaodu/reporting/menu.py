"""The dispatch rounds' menu items (registered in `ReportingConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import DISPATCH, register_item
from tiaodu.core import listing as lists
from tiaodu.reporting import listings  # noqa: F401 (registers the lists)
from tiaodu.reporting.permissions import (
    is_reviewer,
    manages_dispatch_settings,
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

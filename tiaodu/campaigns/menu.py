"""The campaigns' menu items (registered in `CampaignsConfig.ready`): the campaigns and the
list changes with the evaluation's pages, the groundbreaking batches with the dispatch pages."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import DISPATCH, register_item
from tiaodu.campaigns import listings  # noqa: F401 (registers the lists)
from tiaodu.campaigns.choices import ChangeStatus
from tiaodu.campaigns.permissions import (
    changes_visible_to,
    may_decide_changes,
    reads_batches,
    reads_campaigns,
    reads_changes,
)
from tiaodu.core.scoping import Someone
from tiaodu.scoring.menu import EVALUATION


def changes_waiting(user: Someone) -> int:
    """The list changes a leader has to decide (the menu's badge)."""
    if not may_decide_changes(user):
        return 0
    return changes_visible_to(user).filter(status=ChangeStatus.PROPOSED).count()


def register() -> None:
    register_item(
        "campaigns.campaigns", _("Campaigns"), "campaigns:list", EVALUATION,
        icon="flag", order=170, visible=reads_campaigns,
    )  # fmt: skip
    register_item(
        "campaigns.batches", _("Groundbreaking batches"), "campaigns:batches", DISPATCH,
        icon="shovel", order=120, visible=reads_batches,
    )  # fmt: skip
    register_item(
        "campaigns.changes", _("List changes"), "campaigns:changes", EVALUATION,
        icon="replace", order=175, visible=reads_changes, badge=changes_waiting,
    )  # fmt: skip

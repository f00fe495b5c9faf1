"""The campaigns' menu items (registered in `CampaignsConfig.ready`): the campaigns with the
evaluation's pages, the groundbreaking batches with the dispatch pages."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import DISPATCH, register_item
from tiaodu.campaigns.permissions import reads_batches, reads_campaigns
from tiaodu.scoring.menu import EVALUATION


def register() -> None:
    register_item(
        "campaigns.campaigns", _("Campaigns"), "campaigns:list", EVALUATION,
        icon="flag", order=170, visible=reads_campaigns,
    )  # fmt: skip
    register_item(
        "campaigns.batches", _("Groundbreaking batches"), "campaigns:batches", DISPATCH,
        icon="shovel", order=120, visible=reads_batches,
    )  # fmt: skip

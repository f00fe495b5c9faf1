"""The campaigns' menu item (registered in `CampaignsConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import register_item
from tiaodu.campaigns.permissions import reads_campaigns
from tiaodu.scoring.menu import EVALUATION


def register() -> None:
    register_item(
        "campaigns.campaigns", _("Campaigns"), "campaigns:list", EVALUATION,
        icon="flag", order=170, visible=reads_campaigns,
    )  # fmt: skip

"""The statistics page's menu item (registered in `AnalyticsConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import register_item
from tiaodu.projects.permissions import reads_business_data


def register() -> None:
    # The statistics are for whoever reads the library (analytics/views.py asks the same).
    register_item(
        "analytics.figures", _("Statistics"), "analytics:figures",
        icon="chart-bar", order=30, visible=reads_business_data,
    )  # fmt: skip
    # The 入统 chase, beside the statistics it feeds.
    register_item(
        "analytics.not_in_statistics", _("Statistics inclusion chase"),
        "analytics:not_in_statistics", icon="list-search", order=31,
        visible=reads_business_data,
    )  # fmt: skip

"""The statistics menu (registered in `AnalyticsConfig.ready`): the figure set and the 入统
chase, one dropdown 统计分析."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import NavSection, register_item
from tiaodu.core import listing as lists
from tiaodu.projects.permissions import reads_business_data

STATISTICS = NavSection(_("Statistics"), "chart-bar")


def register() -> None:
    # The statistics are for whoever reads the library (analytics/views.py asks the same).
    register_item(
        "analytics.dashboard", _("Dashboard"), "dashboard:page", STATISTICS,
        icon="dashboard", order=29, visible=reads_business_data,
    )  # fmt: skip
    register_item(
        "analytics.figures", _("Statistical figures"), "analytics:figures", STATISTICS,
        icon="chart-bar", order=30, visible=reads_business_data,
    )  # fmt: skip
    register_item(
        "analytics.not_in_statistics", _("Statistics inclusion chase"),
        "analytics:not_in_statistics", STATISTICS, icon="list-search", order=31,
        visible=reads_business_data,
    )  # fmt: skip
    lists.not_a_list("dashboard:page", _("charts"))
    lists.own_export("analytics:figures", "analytics:figures?export=xlsx")
    lists.own_export("analytics:not_in_statistics", "analytics:not_in_statistics?export=xlsx")

"""The map on the menu (registered in `MapsConfig.ready`), beside the statistics."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import register_item
from tiaodu.analytics.menu import STATISTICS
from tiaodu.core import listing as lists
from tiaodu.maps.permissions import reads_map


def register() -> None:
    # The map's view asks the same check.
    register_item(
        "maps.map", _("Map"), "maps:map", STATISTICS, icon="map-2", order=32, visible=reads_map
    )
    lists.not_a_list("maps:map", _("a map"))

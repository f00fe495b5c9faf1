"""The video wall on the menu (registered in `VideoConfig.ready`), under supervision."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import SUPERVISION, register_item
from tiaodu.core import listing as lists
from tiaodu.video.permissions import reads_wall


def register() -> None:
    # The wall's view asks the same check.
    register_item(
        "video.wall", _("Video wall"), "video:wall", SUPERVISION,
        icon="device-cctv", order=440, visible=reads_wall,
    )  # fmt: skip
    lists.not_a_list("video:wall", _("a wall of live streams"))
    lists.not_a_list("video:roll_call", _("one project at a time"))

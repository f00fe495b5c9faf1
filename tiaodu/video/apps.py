from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    name = "tiaodu.video"
    label = "video"
    verbose_name = _("Site video")

    def ready(self) -> None:
        from tiaodu.video import menu, pages

        # The menu, the project page and the meeting page (lower apps) show the cameras,
        # the wall and the roll call through these hooks.
        menu.register()
        pages.register()

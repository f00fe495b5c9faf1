from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    name = "tiaodu.maps"
    label = "maps"
    verbose_name = _("Map")

    def ready(self) -> None:
        from tiaodu.maps import menu, project_section

        # The menu and the project page (lower apps) show the map through these hooks.
        menu.register()
        project_section.register()

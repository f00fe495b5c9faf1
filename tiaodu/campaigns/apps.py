from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "tiaodu.campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from tiaodu.campaigns import menu, project_tab

        # The menu and the project page (lower apps) show the campaigns and the batches
        # through these hooks.
        menu.register()
        project_tab.register()

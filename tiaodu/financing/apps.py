from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    name = "tiaodu.financing"
    verbose_name = _("Financing needs")

    def ready(self) -> None:
        from tiaodu.financing import home, menu

        # The menu and the home page (lower apps) show the lists through these hooks.
        menu.register()
        home.register()

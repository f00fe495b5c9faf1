from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "tiaodu.analytics"
    label = "analytics"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from tiaodu.analytics import home, menu

        home.register()
        menu.register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "tiaodu.supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from tiaodu.supervision import menu
        from tiaodu.supervision.notices import home, project_tab
        from tiaodu.supervision.rounds import home as round_home
        from tiaodu.supervision.rounds import project_tab as round_tab

        # The project page and the home page (lower apps) show notices and field rounds
        # through these hooks.
        home.register()
        project_tab.register()
        round_tab.register()
        round_home.register()
        menu.register()

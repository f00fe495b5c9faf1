from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "tiaodu.supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from tiaodu.supervision import demo, home, menu, project_tab
        from tiaodu.supervision.rounds import demo as round_demo
        from tiaodu.supervision.rounds import home as round_home
        from tiaodu.supervision.rounds import project_tab as round_tab

        demo.register_extension()  # load_demo's supervision notices, after the problems
        demo.register_meetings()  # its consultation and joint meeting
        round_demo.register_extension()  # and its round of inspections
        # The project page and the home page (lower apps) show notices and field rounds
        # through these hooks.
        home.register()
        project_tab.register()
        round_tab.register()
        round_home.register()
        menu.register()

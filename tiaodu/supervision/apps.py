from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "tiaodu.supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from tiaodu.supervision import menu
        from tiaodu.supervision.instructions import home as instruction_home
        from tiaodu.supervision.instructions import pages as instruction_pages
        from tiaodu.supervision.instructions import subject_kinds
        from tiaodu.supervision.notices import home, project_tab, search
        from tiaodu.supervision.rounds import home as round_home
        from tiaodu.supervision.rounds import project_tab as round_tab

        # The project page and the home page (lower apps) show notices and field rounds
        # through these hooks.
        home.register()
        project_tab.register()
        round_tab.register()
        round_home.register()
        # Leaders write instructions on projects, problems and notices; the project tab,
        # the problem and notice pages and the home page show them.
        subject_kinds.register()
        instruction_pages.register()
        instruction_home.register()
        menu.register()
        # The global search and the notice list's saved views (core's registries).
        search.register()

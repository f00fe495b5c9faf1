from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "tiaodu.problems"
    verbose_name = _("Problem ledger")

    def ready(self) -> None:
        from tiaodu.problems import home, menu, project_tab, raise_links, search, selectors
        from tiaodu.projects.visibility import register_project_reach
        from tiaodu.reporting.report_links import register_report_link

        # A department handler sees the projects of the problems given to its department
        # (DOMAIN.md §2); the projects app (a lower one) asks through this hook.
        register_project_reach("problems.assigned", selectors.reached_projects)
        # The project page and the report page (lower apps) show the problems through these.
        project_tab.register()
        register_report_link("problems.raise", raise_links.report_link)
        home.register()
        menu.register()
        # The global search and the ledger's saved views (core's registries).
        search.register()

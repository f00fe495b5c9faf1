from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "tiaodu.projects"
    label = "projects"
    verbose_name = _("Project library")

    def ready(self) -> None:
        from django.core import checks

        from tiaodu.projects import (
            figure_conditions,
            home,
            menu,
            search,
            selectors,
            taskforce_tab,
            totals,  # noqa: F401 (registers the 合计's refresher)
        )
        from tiaodu.projects.visibility import register_project_reach

        checks.register(figure_conditions.check_rules)
        home.register()
        menu.register()
        # A task force's members see its projects (DOMAIN.md §8).
        register_project_reach(
            "projects.task_force",
            selectors.task_force_reach,
            whole_project=True,
            personal=selectors.in_a_task_force,
        )
        taskforce_tab.register()
        # The global search and the saved views of the library (core's registries).
        search.register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "tiaodu.projects"
    label = "projects"
    verbose_name = _("Project library")

    def ready(self) -> None:
        from tiaodu.projects import home, menu

        home.register()
        menu.register()

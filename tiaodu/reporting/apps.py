from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "tiaodu.reporting"
    verbose_name = _("Dispatch rounds")

    def ready(self) -> None:
        # The figure set (a lower app) counts approved reports through this hook.
        from tiaodu.projects import figure_conditions
        from tiaodu.reporting import home, menu, project_tab
        from tiaodu.reporting.figures import reported_bond_funds_spent, reported_investment

        figure_conditions.register_reported_investment(reported_investment)
        figure_conditions.register_reported_bond_funds_spent(reported_bond_funds_spent)
        home.register()
        menu.register()
        # The project page (a lower app) shows the reports tab through this hook.
        project_tab.register()

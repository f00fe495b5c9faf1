from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "tiaodu.scoring"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from tiaodu.scoring import home, menu, project_tab, proposals, report_card

        # The menu, the home page, the project page and a notice's page (lower apps) show
        # the cards and the proposals through these hooks.
        menu.register()
        home.register()
        project_tab.register()
        proposals.register()
        # The report page's context panel (a lower app) shows the month's card.
        report_card.register()

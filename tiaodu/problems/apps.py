from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "tiaodu.problems"
    verbose_name = _("Problem ledger")

    def ready(self) -> None:
        from tiaodu.problems import demo

        demo.register_extension()  # load_demo's problem ledger

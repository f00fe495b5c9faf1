from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "tiaodu.supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from tiaodu.supervision import demo

        demo.register_extension()  # load_demo's supervision notices, after the problems

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "tiaodu.documents"
    label = "documents"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        from tiaodu.documents import menu

        menu.register()

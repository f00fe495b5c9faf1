from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "tiaodu.messaging"
    verbose_name = _("Messaging channels")

    def ready(self) -> None:
        from tiaodu.core import listing
        from tiaodu.core.notifications import register_dispatcher
        from tiaodu.messaging import routing

        # core's `notify` (a lower layer) hands every notification to the channels here.
        register_dispatcher(routing.dispatch)
        why = _("the system administrator's page, not a business list")
        listing.not_a_list("messaging:channels", why)
        listing.not_a_list("messaging:dead_letters", why)

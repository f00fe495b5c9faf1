from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tiaodu.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db.backends.signals import connection_created

        from tiaodu.core import checks  # noqa: F401 (registers the deployment checks)
        from tiaodu.core.audit_guard import install
        from tiaodu.core.media import erase
        from tiaodu.core.stamps import begin, finish

        # The audit log's DELETE trigger asks each SQLite connection whether it may delete.
        connection_created.connect(install, dispatch_uid="tiaodu.core.audit_guard")
        # A deleted row's stored files are erased with it (docs/security.md).
        erase.connect()
        # Each request starts with no stale figure shown (core.stamps, the page's notice),
        # and computes the ones it showed again once its answer is sent (local memory cache).
        request_started.connect(begin, dispatch_uid="tiaodu.core.stamps")
        request_finished.connect(finish, dispatch_uid="tiaodu.core.stamps.finish")

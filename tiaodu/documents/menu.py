"""The bulletins' menu item (registered in `DocumentsConfig.ready`), with the statistics:
a dispatcher drafts the month's bulletin there, a leader signs it off."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import register_item
from tiaodu.analytics.menu import STATISTICS
from tiaodu.core import listing as lists
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, grant_paths
from tiaodu.documents.choices import BulletinStatus
from tiaodu.documents.permissions import reads_bulletins
from tiaodu.documents.selectors import bulletins_visible_to


def waiting_sign_off(user: Someone) -> int:
    """The submitted bulletins of regions a leader holds (the menu's badge)."""
    paths = grant_paths(user, Role.LEADER)
    if not paths:
        return 0
    under = Q()
    for path in paths:
        under |= Q(region__path__startswith=path)
    submitted = bulletins_visible_to(user).filter(status=BulletinStatus.SUBMITTED)
    return submitted.filter(under).count()


def register() -> None:
    register_item(
        "documents.bulletins", _("Monthly bulletins"), "documents:bulletins", STATISTICS,
        icon="file-text", order=35, visible=reads_bulletins, badge=waiting_sign_off,
    )  # fmt: skip
    lists.not_a_list("documents:bulletins", _("the bulletins, each a document to download"))

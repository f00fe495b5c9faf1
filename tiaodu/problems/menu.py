"""The problem ledger's menu items (registered in `ProblemsConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import PROBLEMS, register_item
from tiaodu.core import listing as lists
from tiaodu.problems import listings  # noqa: F401 (registers the lists)
from tiaodu.problems.permissions import handles_problems, opens_direct_channel, reads_ledger


def register() -> None:
    register_item(
        "problems.ledger", _("Problem ledger"), "problems:ledger", PROBLEMS,
        icon="alert-triangle", order=200, visible=reads_ledger,
    )  # fmt: skip
    register_item(
        "problems.inbox", _("Problems to handle"), "problems:inbox", PROBLEMS,
        icon="inbox", order=300, visible=handles_problems,
    )  # fmt: skip
    register_item(
        "problems.direct", _("Direct channel"), "problems:direct", PROBLEMS,
        icon="speakerphone", order=310, visible=opens_direct_channel,
    )  # fmt: skip
    lists.own_export("problems:ledger", "problems:export")
    lists.not_a_list("problems:direct", _("a form"))

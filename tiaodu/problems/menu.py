"""The problem ledger's menu items (registered in `ProblemsConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.capabilities import register_action
from tiaodu.accounts.navigation import PROBLEMS, register_item
from tiaodu.core import listing as lists
from tiaodu.problems import listings  # noqa: F401 (registers the lists)
from tiaodu.problems.permissions import (
    handles_problems,
    may_raise,
    opens_direct_channel,
    reads_ledger,
)
from tiaodu.projects.permissions import project_at


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
    register_actions()


def register_actions() -> None:
    """The problem ledger's actions in the role–page matrix (docs/administration.md)."""
    section = _("Problems")
    register_action(
        "problems.raise", _("Raise a problem on a project"), section=section, order=300,
        check=lambda actor, place: may_raise(actor, project_at(place)),
    )  # fmt: skip
    register_action(
        "problems.handle", _("Answer the problems of a department"), section=section,
        order=310, check=lambda actor, _place: handles_problems(actor),
    )  # fmt: skip
    register_action(
        "problems.direct", _("Use the direct channel"), section=section, order=320,
        check=lambda actor, _place: opens_direct_channel(actor),
    )  # fmt: skip

"""Supervision's menu items: field rounds, notices, meetings and leaders' instructions
(registered in `SupervisionConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import PROBLEMS, SUPERVISION, register_item
from tiaodu.core.scoping import Someone
from tiaodu.supervision import listings  # noqa: F401 (registers the lists)
from tiaodu.supervision.instructions.permissions import (
    answers_instructions,
    follows_instructions,
    writes_instructions,
)
from tiaodu.supervision.meetings.permissions import follows_meetings
from tiaodu.supervision.notices.permissions import answers_notices, oversees_notices
from tiaodu.supervision.rounds.permissions import oversees_rounds


def _answers_only(user: Someone) -> bool:
    # One notices item per user: those who oversee notices see them under that name.
    return answers_notices(user) and not oversees_notices(user)


def _reads_instructions(user: Someone) -> bool:
    return writes_instructions(user) or follows_instructions(user)


def _answers_instructions_only(user: Someone) -> bool:
    return answers_instructions(user) and not _reads_instructions(user)


def register() -> None:
    register_item(
        "supervision.rounds", _("Field rounds"), "supervision:rounds", SUPERVISION,
        icon="map-pin-check", order=210, visible=oversees_rounds,
    )  # fmt: skip
    register_item(
        "supervision.notices", _("Supervision notices"), "supervision:notices", SUPERVISION,
        icon="file-alert", order=400, visible=oversees_notices,
    )  # fmt: skip
    register_item(
        "supervision.my_notices", _("Notices to my unit"), "supervision:notices", SUPERVISION,
        icon="file-alert", order=410, visible=_answers_only,
    )  # fmt: skip
    register_item(
        "supervision.meetings", _("Consultations and joint meetings"), "supervision:meetings",
        PROBLEMS, icon="users-group", order=500, visible=follows_meetings,
    )  # fmt: skip
    register_item(
        "supervision.instructions", _("Instructions"), "supervision:instructions", SUPERVISION,
        icon="writing-sign", order=420, visible=_reads_instructions,
    )  # fmt: skip
    register_item(
        "supervision.instruction_inbox", _("Instructions to my unit"),
        "supervision:instruction_inbox", SUPERVISION,
        icon="writing-sign", order=430, visible=_answers_instructions_only,
    )  # fmt: skip

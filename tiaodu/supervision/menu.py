"""Supervision's menu items: field rounds, notices and meetings (registered in
`SupervisionConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import PROBLEMS, SUPERVISION, register_item
from tiaodu.core.scoping import Someone
from tiaodu.supervision.meetings.permissions import follows_meetings
from tiaodu.supervision.notices.permissions import answers_notices, oversees_notices
from tiaodu.supervision.rounds.permissions import oversees_rounds


def _answers_only(user: Someone) -> bool:
    # One notices item per user: those who oversee notices see them under that name.
    return answers_notices(user) and not oversees_notices(user)


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

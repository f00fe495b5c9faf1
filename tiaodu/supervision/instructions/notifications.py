"""Who hears of an instruction, and what they read (under the bell and by email).

Written, or sent back: the department handlers and reporters of the routed unit (those who
answer it). Answered: the leader who wrote it. The services call these inside their
transaction, so that the notification rows commit or roll back with the instruction.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from tiaodu.core.audit import in_site_language
from tiaodu.core.notifications import notify
from tiaodu.supervision.instructions.models import Instruction, InstructionEntry
from tiaodu.supervision.notices.notifications import recipient_users

WRITTEN = "supervision.instruction_written"
SENT_BACK = "supervision.instruction_sent_back"
ANSWERED = "supervision.instruction_answered"
TITLE_MAX = 200


def _link(instruction: Instruction) -> str:
    return reverse("supervision:instruction", args=[instruction.pk])


def _values(instruction: Instruction) -> dict[str, str]:
    return {
        "leader": str(instruction.leader),
        "subject": instruction.subject_title,
        "unit": instruction.unit.name,
        "deadline": instruction.deadline.isoformat(),
    }


def instruction_written(instruction: Instruction) -> None:
    """Tell the routed unit that a leader's instruction awaits its answer."""
    with in_site_language():
        values = _values(instruction)
        title = _("Instruction from %(leader)s on %(subject)s") % values
        body = _("%(leader)s wrote an instruction for %(unit)s. Please answer by %(deadline)s.") % (
            values
        )
    notify(
        recipients=recipient_users(instruction.unit),
        kind=WRITTEN,
        title=title[:TITLE_MAX],
        body=body,
        link=_link(instruction),
        key=f"{WRITTEN}:{instruction.pk}",
    )


def instruction_sent_back(instruction: Instruction, note: InstructionEntry) -> None:
    """Tell the routed unit that the leader asks for another answer."""
    with in_site_language():
        values = _values(instruction)
        title = _("%(leader)s sent back the answer on %(subject)s") % values
        body = _("Please answer again by %(deadline)s.") % values
    notify(
        recipients=recipient_users(instruction.unit),
        kind=SENT_BACK,
        title=title[:TITLE_MAX],
        body=f"{body} {note.text}".strip(),
        link=_link(instruction),
        key=f"{SENT_BACK}:{note.pk}",
    )


def instruction_answered(instruction: Instruction, answer: InstructionEntry) -> None:
    """Tell the leader that the unit has answered."""
    with in_site_language():
        values = {**_values(instruction), "author": str(answer.author)}
        title = _("%(unit)s answered your instruction on %(subject)s") % values
        body = _("%(author)s answered for %(unit)s. Read it, then close or send it back.") % (
            values
        )
    notify(
        recipients=[instruction.leader],
        kind=ANSWERED,
        title=title[:TITLE_MAX],
        body=body,
        link=_link(instruction),
        key=f"{ANSWERED}:{answer.pk}",
    )

"""A problem's story as its page tells it: every step from the audit log, and the comments.

Each step of the loop is one audit event of the problem (`services._move`), so the steps are
read back from the log rather than stored twice. Which step an event was is told by the
fields it changed (names, not display values, so the language of the log does not matter):
assigning always sets `assigned_at`, resolving sets `resolved_at` and rejecting clears it,
closing sets `closed_at`, escalating counts `escalations`, and starting changes the status
only. The values shown are the event's "after" values, as the log wrote them.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.problems.models import Problem, ProblemComment


@dataclass(frozen=True)
class Kind:
    label: str | Promise
    icon: str
    colour: str


KINDS: dict[str, Kind] = {
    "raised": Kind(pgettext_lazy("problem timeline", "Raised"), "flag", "bg-blue-lt"),
    "assigned": Kind(pgettext_lazy("problem timeline", "Assigned"), "send", "bg-azure-lt"),
    "started": Kind(pgettext_lazy("problem timeline", "Started"), "player-play", "bg-cyan-lt"),
    "resolved": Kind(pgettext_lazy("problem timeline", "Resolved"), "circle-check", "bg-green-lt"),
    "rejected": Kind(pgettext_lazy("problem timeline", "Sent back"), "arrow-back-up", "bg-red-lt"),
    "closed": Kind(pgettext_lazy("problem timeline", "Closed"), "lock-check", "bg-green"),
    "escalated": Kind(
        pgettext_lazy("problem timeline", "Escalated"), "arrow-big-up-lines", "bg-orange-lt"
    ),
    "updated": Kind(pgettext_lazy("problem timeline", "Changed"), "pencil", "bg-secondary-lt"),
    "comment": Kind(pgettext_lazy("problem timeline", "Comment"), "message", "bg-secondary-lt"),
}

# The fields whose new value each step shows, in order, with their labels.
DETAILS: dict[str, tuple[tuple[str, str | Promise], ...]] = {
    "raised": (
        ("source", _("Source")),
        ("category", _("Problem category")),
        ("level", _("Problem level")),
    ),
    "assigned": (
        ("assigned_department", _("Responsible department")),
        ("handler", _("Handler")),
        ("deadline", _("Resolution deadline")),
    ),
    "started": (("handler", _("Handler")),),
    "escalated": (("level", _("Problem level")),),
}
# The long text a step carries, shown as a quotation.
TEXTS = {"resolved": "resolution", "rejected": "rejection_reason", "raised": "description"}


@dataclass
class Entry:
    """One line of the timeline."""

    kind: str
    at: dt.datetime
    actor: str
    details: list[tuple[str | Promise, str]] = field(default_factory=list)
    text: str = ""
    comment: ProblemComment | None = None

    @property
    def label(self) -> str | Promise:
        return KINDS[self.kind].label

    @property
    def icon(self) -> str:
        return KINDS[self.kind].icon

    @property
    def colour(self) -> str:
        return KINDS[self.kind].colour


def step_of(event: AuditEvent) -> str:
    """Which step of the loop an audit event of a problem records."""
    if event.action == AuditAction.CREATE:
        return "raised"
    changes = event.changes or {}
    if "escalations" in changes:
        return "escalated"
    if "assigned_at" in changes:
        return "assigned"
    if "closed_at" in changes:
        return "closed"
    if "resolved_at" in changes:
        return "resolved" if _after(changes, "resolved_at") else "rejected"
    if "status" in changes:
        return "started"
    return "updated"


def _after(changes: dict[str, Any], name: str) -> str:
    values = changes.get(name)
    if isinstance(values, list) and len(values) == 2:
        return str(values[1] or "")
    return ""


def problem_events(problem: Problem) -> QuerySet[AuditEvent]:
    """The audit events of the problem and of its comments' creation, in the order written."""
    key = str(problem.pk)
    return (
        AuditEvent.objects.filter(
            Q(object_type="problems.problem", object_id=key)
            | Q(
                object_type="problems.problemcomment",
                action=AuditAction.CREATE,
                parent_type="problems.problem",
                parent_id=key,
            )
        )
        .select_related("actor")
        .order_by("at", "id")
    )


def _actor(event: AuditEvent) -> str:
    return str(event.actor) if event.actor is not None else event.actor_name


def entry_of(event: AuditEvent) -> Entry:
    kind = step_of(event)
    changes = event.changes or {}
    details = [
        (label, value) for name, label in DETAILS.get(kind, ()) if (value := _after(changes, name))
    ]
    text = _after(changes, TEXTS[kind]) if kind in TEXTS else ""
    return Entry(kind, event.at, _actor(event), details, text)


def timeline(problem: Problem, comments: QuerySet[ProblemComment]) -> list[Entry]:
    """The steps and the comments, in the order the log wrote them (so an escalation comes
    before the reason written with it)."""
    by_pk = {str(comment.pk): comment for comment in comments}
    entries = []
    for event in problem_events(problem):
        if event.object_type != "problems.problem":
            found = by_pk.pop(event.object_id, None)
            if found is not None:
                entries.append(_comment_entry(found))
            continue
        entries.append(entry_of(event))
    # A comment the log does not name (none is written without an event) still shows.
    entries += [_comment_entry(comment) for comment in by_pk.values()]
    return entries


def _comment_entry(comment: ProblemComment) -> Entry:
    return Entry(
        "comment", comment.created_at, str(comment.author), text=comment.text, comment=comment
    )

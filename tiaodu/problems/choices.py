"""The vocabularies of the problem ledger (DOMAIN.md §7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProblemCategory(models.TextChoices):
    LAND = "land", _("Land")
    FUNDING = "funding", _("Funding")
    APPROVAL = "approval", _("Approvals")
    DEMOLITION = "demolition", _("Land acquisition and demolition")
    UTILITIES = "utilities", _("Water, power and gas connections")
    ENVIRONMENT = "environment", _("Environmental protection")
    SITE = "site", _("Site conditions")
    POLICY = "policy", _("Policy")
    OTHER = "other", _("Other")


class ProblemLevel(models.TextChoices):
    """Where a problem is handled, in escalation order (district → city → joint meeting)."""

    DISTRICT = "district", _("District level")
    CITY = "city", _("City level")
    JOINT_MEETING = "joint_meeting", _("Joint meeting")


class ProblemStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class ProblemSource(models.TextChoices):
    """The channel by which a problem reached the ledger."""

    PROJECT_PAGE = "project_page", _("Project page")
    REPORT = "report", _("Progress report")
    FIELD_ROUND = "field_round", _("Site visit")
    DIRECT = "direct", _("Direct channel")


class ProblemAction(models.TextChoices):
    ASSIGN = "assign", _("Assign")
    START = "start", _("Start handling")
    RESOLVE = "resolve", _("Resolve")
    REJECT_RESOLUTION = "reject_resolution", _("Reject the resolution")
    CLOSE = "close", _("Close the problem")
    ESCALATE = "escalate", _("Escalate")


# Escalation order; the last level has nowhere further to go.
LEVEL_ORDER: tuple[str, ...] = (
    ProblemLevel.DISTRICT,
    ProblemLevel.CITY,
    ProblemLevel.JOINT_MEETING,
)
# A problem still waiting for an answer: it can be escalated and, past its deadline, overdue.
OPEN_STATUSES = frozenset(
    {ProblemStatus.REPORTED, ProblemStatus.ASSIGNED, ProblemStatus.IN_PROGRESS}
)

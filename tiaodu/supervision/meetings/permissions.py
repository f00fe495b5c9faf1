"""Who convenes consultations and joint meetings, who changes them, and who finds them in
the menu. The pages, the menu and the services ask these same checks."""

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, grant_paths, holds
from tiaodu.supervision.meetings.models import Meeting

# Dispatchers convene for their regions, department handlers for their departments.
CONVENING_ROLES = (Role.DISPATCHER, Role.DEPARTMENT_HANDLER)


def convening_units(actor: Someone) -> list[OrgUnit]:
    """The units the actor convenes for: its dispatcher regions and handler departments."""
    paths = grant_paths(actor, *CONVENING_ROLES)
    if not paths:
        return []
    return list(OrgUnit.objects.filter(path__in=paths).order_by("path"))


def may_convene(actor: Someone) -> bool:
    """Whether the actor convenes meetings at all (the new-meeting page)."""
    return bool(convening_units(actor))


def is_convener(actor: Someone, meeting: Meeting) -> bool:
    """The person who convened the meeting changes it and records its decisions."""
    return (
        actor is not None
        and bool(getattr(actor, "is_authenticated", False))
        and meeting.convened_by_id == actor.pk
    )


def follows_meetings(actor: Someone) -> bool:
    """Those who convene or attend consultations and joint meetings find them in the menu:
    dispatchers, leaders and department handlers."""
    return holds(actor, Role.DISPATCHER, Role.LEADER, Role.DEPARTMENT_HANDLER)

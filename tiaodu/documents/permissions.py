"""Who may do what with bulletins: a dispatcher of a region drafts, edits, submits, issues
and archives its bulletins; a leader whose grant holds the region signs them off or returns
them. The services, the pages and the menu ask these same checks."""

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, covers, dispatcher_paths, grant_paths
from tiaodu.documents import workflow
from tiaodu.documents.models import Bulletin


def may_draft(actor: Someone, region: OrgUnit) -> bool:
    return covers(dispatcher_paths(actor), region.path)


def relations(actor: Someone, bulletin: Bulletin) -> frozenset[str]:
    """The actor's parts in the bulletin's workflow."""
    found = set()
    if covers(dispatcher_paths(actor), bulletin.region.path):
        found.add(workflow.DISPATCHER)
    if covers(grant_paths(actor, Role.LEADER), bulletin.region.path):
        found.add(workflow.LEADER)
    return frozenset(found)


def reads_bulletins(actor: Someone) -> bool:
    """The bulletins pages: the dispatchers and the leaders of a region (a leader of some
    assigned projects only has no region's bulletin)."""
    return bool(grant_paths(actor, Role.DISPATCHER, Role.LEADER))

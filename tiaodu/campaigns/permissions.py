"""Who runs campaigns and who reads them. The pages, the API and the services ask these."""

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, dispatcher_paths, grant_paths


def may_manage_campaigns(actor: Someone) -> bool:
    """The site's dispatcher (of the top region) creates and copies campaigns."""
    top = OrgUnit.objects.regions().filter(parent=None).first()
    return top is not None and top.path in dispatcher_paths(actor)


def reads_campaigns(actor: Someone) -> bool:
    """Dispatchers and leaders of regions follow campaigns (a leader of assigned projects
    has no region to read them for)."""
    return bool(region_paths(actor))


def region_paths(actor: Someone) -> list[str]:
    """The region subtrees whose attainment the actor reads: its dispatcher's and leader's
    regions (a leader of assigned projects reads none by region)."""
    return grant_paths(actor, Role.DISPATCHER, Role.LEADER)

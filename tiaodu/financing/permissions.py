"""Who compiles, reads and answers financing-needs lists. The pages, the API, the menu and
the services ask these (reads are scoped in `selectors`)."""

from django.db.models import Q, QuerySet

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, covers, dispatcher_paths, grant_paths, holds
from tiaodu.financing.models import FinancingList
from tiaodu.financing.workflow import DISPATCHER
from tiaodu.projects.models import Project

# Who reads lists: the region's dispatchers and leaders (every edition), the institutions
# (the published ones) and the projects' own people (the editions their projects are on).
READERS = (
    Role.DISPATCHER,
    Role.LEADER,
    Role.REPORTER,
    Role.SERVICE_OFFICER,
    Role.FINANCIAL_INSTITUTION,
)


def reads_financing(actor: Someone) -> bool:
    """Whether the actor opens the financing-needs pages at all."""
    return holds(actor, *READERS)


def may_compile(actor: Someone) -> bool:
    """A dispatcher compiles the lists of its region."""
    return bool(dispatcher_paths(actor))


def compiles(actor: Someone, financing_list: FinancingList) -> bool:
    """A dispatcher whose region covers the list's region compiles and publishes it."""
    return covers(dispatcher_paths(actor), financing_list.region.path)


def list_relations(actor: Someone, financing_list: FinancingList) -> set[str]:
    """The actor's relations to a list for its workflow (`workflow.LISTS`)."""
    return {DISPATCHER} if compiles(actor, financing_list) else set()


def is_institution(actor: Someone) -> bool:
    """A financial institution's account: it reads published lists and answers needs."""
    return holds(actor, Role.FINANCIAL_INSTITUTION)


def compile_regions(actor: Someone) -> QuerySet[OrgUnit]:
    """The regions whose lists the actor compiles: its dispatched regions and those below."""
    paths = dispatcher_paths(actor)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.regions().filter(condition).order_by("path")


def may_propose(actor: Someone, project: Project) -> bool:
    """An owner unit's reporter proposes needs of its own unit's projects."""
    owner = project.owner_unit
    return owner is not None and covers(grant_paths(actor, Role.REPORTER), owner.path)

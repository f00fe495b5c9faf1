"""Who runs campaigns and who reads them; who creates and changes groundbreaking batches.
The pages, the API and the services ask these (reads are scoped by `core.scoping`: a batch is
its region's)."""

from django.db.models import Q, QuerySet

from tiaodu.accounts.models import OrgUnit
from tiaodu.campaigns.change_workflow import LEADER, PROPOSER
from tiaodu.campaigns.models import GroundbreakingBatch, ListChange
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, covers, dispatcher_paths, grant_paths
from tiaodu.projects.models import AnnualPlan


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


# Groundbreaking batches (集中开工).
def reads_batches(actor: Someone) -> bool:
    """Dispatchers and leaders of regions open the batch pages (a batch is its region's; a
    leader of assigned projects, like the others, sees its projects' batches on their
    pages)."""
    return bool(region_paths(actor))


def may_create_batch(actor: Someone) -> bool:
    """A dispatcher creates batches within its region."""
    return bool(dispatcher_paths(actor))


def may_edit_batch(actor: Someone, batch: GroundbreakingBatch) -> bool:
    """A dispatcher whose region covers the batch's region changes it and its projects."""
    return covers(dispatcher_paths(actor), batch.region.path)


def batch_regions(actor: Someone) -> QuerySet[OrgUnit]:
    """The regions in which the actor may create batches: its dispatched regions and theirs
    below, in tree order."""
    paths = dispatcher_paths(actor)
    if not paths:
        return OrgUnit.objects.none()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.regions().filter(condition).order_by("path")


# List changes (动态调整).
def change_regions(actor: Someone) -> list[str]:
    """The regions in which the actor proposes list changes: its dispatched regions (a
    district's dispatcher proposes within its district, and sees its candidates only)."""
    return dispatcher_paths(actor)


def may_propose_change(actor: Someone, plan: AnnualPlan) -> bool:
    """A dispatcher whose region covers the entry proposes to change its lists."""
    return covers(change_regions(actor), plan.project.region.path)


def may_decide_changes(actor: Someone) -> bool:
    """Some leader of a region decides list changes (which ones: `change_relations`)."""
    return bool(grant_paths(actor, Role.LEADER))


def change_relations(actor: Someone, change: ListChange) -> set[str]:
    """The actor's relations to a change for its workflow: the leader of a region covering
    both entries decides it; the one who proposed it may withdraw it."""
    paths = [change.outgoing.project.region.path]
    if change.incoming is not None:
        paths.append(change.incoming.project.region.path)
    relations: set[str] = set()
    leaders = grant_paths(actor, Role.LEADER)
    if all(covers(leaders, path) for path in paths):
        relations.add(LEADER)
    if getattr(actor, "pk", None) == change.proposed_by_id:
        relations.add(PROPOSER)
    return relations


def reads_changes(actor: Someone) -> bool:
    """Dispatchers and leaders of regions open the list changes."""
    return bool(region_paths(actor))


def changes_visible_to(actor: Someone) -> QuerySet[ListChange]:
    """The changes of which an entry lies in the actor's dispatcher or leader regions."""
    condition = Q(pk__in=[])
    for path in region_paths(actor):
        condition |= Q(outgoing__project__region__path__startswith=path)
        condition |= Q(incoming__project__region__path__startswith=path)
    return ListChange.objects.filter(condition)


def campaign_regions(actor: Someone) -> QuerySet[OrgUnit]:
    """The districts a campaign's scope may name: the regions just below the site's top
    that the actor dispatches (the site's dispatcher: all of them), in tree order."""
    top = OrgUnit.objects.regions().filter(parent=None).first()
    if top is None:
        return OrgUnit.objects.none()
    return batch_regions(actor).filter(parent=top)

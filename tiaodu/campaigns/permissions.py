"""Who runs campaigns and who reads them; who creates and changes groundbreaking batches.
The pages, the API and the services ask these (reads are scoped by `core.scoping`: a batch is
its region's)."""

from django.db.models import Q, QuerySet

from tiaodu.accounts.models import OrgUnit
from tiaodu.campaigns.models import GroundbreakingBatch
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, covers, dispatcher_paths, grant_paths


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


def campaign_regions(actor: Someone) -> QuerySet[OrgUnit]:
    """The districts a campaign's scope may name: the regions just below the site's top
    that the actor dispatches (the site's dispatcher: all of them), in tree order."""
    top = OrgUnit.objects.regions().filter(parent=None).first()
    if top is None:
        return OrgUnit.objects.none()
    return batch_regions(actor).filter(parent=top)

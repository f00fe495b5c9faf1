"""Reads of bulletins, scoped to the reader (a bulletin is reached through its region)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.scoping import Someone, dispatcher_paths, restrict
from tiaodu.documents.models import Bulletin


def bulletins_visible_to(actor: Someone) -> QuerySet[Bulletin]:
    return restrict(Bulletin.objects.select_related("region", "drafted_by"), actor)


def bulletin_for(actor: Someone, pk: int) -> Bulletin:
    """The bulletin if the actor may see it; 404 otherwise (never 403)."""
    found = bulletins_visible_to(actor).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def draftable_regions(actor: Someone) -> QuerySet[OrgUnit]:
    """The regions whose bulletins the actor drafts: those under a dispatcher grant."""
    paths = dispatcher_paths(actor)
    if not paths:
        return OrgUnit.objects.none()
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    return OrgUnit.objects.regions().filter(under).order_by("path")

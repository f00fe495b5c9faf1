"""Reads of bulletins, scoped to the reader (a bulletin is reached through its region)."""

from django.db.models import QuerySet
from django.http import Http404

from tiaodu.core.scoping import Someone, restrict
from tiaodu.documents.models import Bulletin


def bulletins_visible_to(actor: Someone) -> QuerySet[Bulletin]:
    return restrict(Bulletin.objects.select_related("region", "drafted_by"), actor)


def bulletin_for(actor: Someone, pk: int) -> Bulletin:
    """The bulletin if the actor may see it; 404 otherwise (never 403)."""
    found = bulletins_visible_to(actor).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found

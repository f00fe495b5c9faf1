"""Reading campaigns: the attainment a reader may see (its own regions' entries)."""

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404

from tiaodu.campaigns import attainment
from tiaodu.campaigns.models import Campaign
from tiaodu.campaigns.permissions import may_manage_campaigns, reads_campaigns, region_paths
from tiaodu.core.scoping import Someone


def campaigns_visible_to(actor: Someone) -> QuerySet[Campaign]:
    if not reads_campaigns(actor):
        return Campaign.objects.none()
    return Campaign.objects.all()


def campaign_for(actor: Someone, pk: int) -> Campaign:
    found = campaigns_visible_to(actor).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def attainment_for(actor: Someone, campaign: Campaign, as_of: dt.date) -> attainment.Attainment:
    """The whole campaign for the site's dispatcher; the entries of its regions for anyone
    else who reads campaigns (a district sees its own attainment)."""
    if may_manage_campaigns(actor):
        return attainment.attainment(campaign, as_of)
    return attainment.attainment(campaign, as_of, paths=region_paths(actor))

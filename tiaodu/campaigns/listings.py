"""The campaigns' list, shown and exported from one definition (core.listing)."""

from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.campaigns import selectors
from tiaodu.campaigns.models import Campaign
from tiaodu.campaigns.permissions import reads_campaigns
from tiaodu.core import clock
from tiaodu.core.listing import Column, Found, Kind, Listing, Table, register


def _state(campaign: Campaign) -> str:
    today = clock.today()
    if today < campaign.start:
        return _("Not begun")
    return _("Campaign under way") if today <= campaign.end else _("Campaign over")


def _state_badge(campaign: Campaign) -> str:
    today = clock.today()
    if today < campaign.start:
        return "bg-secondary-lt"
    return "bg-green-lt" if today <= campaign.end else "bg-blue-lt"


def campaigns_source(request: SignedInRequest) -> Found:
    """专项行动: the campaigns the reader sees, newest first, of one year if chosen."""
    if not reads_campaigns(request.user):
        raise Http404
    visible = selectors.campaigns_visible_to(request.user)
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    chosen = request.GET.get("year", "")
    year = int(chosen) if chosen.isdigit() and int(chosen) in years else None
    rows = visible.annotate(target_count=Count("targets")).order_by("-year", "-start")
    if year is not None:
        rows = rows.filter(year=year)
    return Found(
        list(rows),
        lambda: [(_("Year"), str(year))] if year else [],
        data={"years": years, "year": year},
    )


CAMPAIGNS = register(
    Listing(
        key="campaigns.campaigns",
        page="campaigns:list",
        export="campaigns:list_export",
        name=gettext_lazy("Campaigns"),
        fallback="campaigns",
        tables=(
            Table(
                "campaigns",
                (
                    Column(
                        gettext_lazy("Campaign"),
                        lambda c: c.name,
                        width=32,
                        link=lambda c: reverse("campaigns:detail", args=[c.pk]),
                        css="fw-bold",
                    ),
                    Column(gettext_lazy("Start date"), lambda c: c.start, Kind.DATE),
                    Column(gettext_lazy("End date"), lambda c: c.end, Kind.DATE),
                    Column(gettext_lazy("Targets"), lambda c: c.target_count, Kind.COUNT),
                    Column(gettext_lazy("State"), _state, badge=_state_badge),
                ),
            ),
        ),
        source=campaigns_source,
    )
)

"""The campaign pages: the list (with 'copy last year's'), and a campaign's live attainment
as of a date in its window — each target overall and per district, the projects that hold
it back, and the days left. Reads through the selectors (the reader's regions), writes
through the services."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.campaigns import changes, listings, selectors, services
from tiaodu.campaigns.choices import Indicator
from tiaodu.campaigns.models import Campaign
from tiaodu.campaigns.permissions import (
    change_regions,
    changes_visible_to,
    may_manage_campaigns,
    region_paths,
)
from tiaodu.core import clock, idempotency
from tiaodu.core.listing import page_context
from tiaodu.core.scoping import covers


@login_required
def campaign_list(request: SignedInRequest) -> HttpResponse:
    found = listings.campaigns_source(request)
    today = clock.today()
    campaigns = found.rows
    copyable = (
        [c for c in campaigns if c.year < today.year] if may_manage_campaigns(request.user) else []
    )
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            **page_context(request, listings.CAMPAIGNS, found),
            "campaigns": campaigns,
            "shown_rows": listings.CAMPAIGNS.table().present(campaigns),
            "years": found.data["years"],
            "chosen_year": found.data["year"],
            "today": today,
            "copyable": copyable,
            "year": today.year,
            "can_create": may_manage_campaigns(request.user),
        },
    )


@login_required
@require_POST
def campaign_copy(request: SignedInRequest, pk: int) -> HttpResponse:
    source = selectors.campaign_for(request.user, pk)
    year = clock.today().year

    def copy() -> str | None:
        try:
            copied = services.copy_campaign(actor=request.user, source=source, year=year)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return None
        messages.success(
            request,
            _("%(name)s was created from %(source)s.")
            % {"name": copied.name, "source": source.name},
        )
        return reverse("campaigns:detail", args=[copied.pk])

    # The button pressed twice copies once (core.idempotency).
    location = idempotency.form_once(request, "campaigns.copy", copy)
    return redirect(location or "campaigns:list")


def _final_rows(final: dict[str, Any] | None, regions: list[Any]) -> list[dict[str, Any]]:
    """The kept comparison, a row per target with each district's value as it stood."""
    if not final:
        return []
    labels = dict(Indicator.choices)
    return [
        {
            "label": labels.get(target["indicator"], target["indicator"]),
            "subset": target["subset"],
            "value": target["value"],
            "met": target["met"],
            "regions": [
                target["by_region"].get(region.region_code or str(region.pk)) for region in regions
            ],
        }
        for target in final["targets"]
    ]


@login_required
def campaign_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    found = listings.campaign_source(request, pk)
    data = found.data
    campaign, as_of = data["campaign"], data["as_of"]
    if data["bad_date"]:
        messages.error(request, _("Give the date as YYYY-MM-DD."))
    proposes = change_regions(request.user) if today_in_window(campaign) else []
    table = listings.CAMPAIGN_PROJECTS.table()
    for row in data["targets"]:
        for plan in row["held"]:
            plan.changeable = covers(proposes, plan.project.region.path)
        row["held_rows"] = table.present(row["held_back"])
    today = clock.today()
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            **_context(
                request,
                campaign,
                as_of,
                data["attainment"],
                data["targets"],
                data["regions"],
                data["whole"],
            ),
            **page_context(request, listings.CAMPAIGN_PROJECTS, found, pk=pk),
            "days_left": (campaign.end - today).days if today <= campaign.end else None,
            "not_started": today < campaign.start,
            "district": data["district"],
            "list_changes": _list_changes(request, campaign),
        },
    )


def _list_changes(request: SignedInRequest, campaign: Campaign) -> list[Any]:
    """The replacements and promotions proposed from this campaign that the reader sees."""
    found = list(
        changes_visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("key_list", "to_list", "outgoing__project", "incoming__project")
    )
    for change in found:
        change.summary = changes.summary(change)  # type: ignore[attr-defined]
    return found


def today_in_window(campaign: Campaign) -> bool:
    """Whether the campaign runs today: lagging projects are replaced while it does."""
    return campaign.start <= clock.today() <= campaign.end


def trend(campaign: Campaign, paths: list[str] | None) -> dict[str, Any] | None:
    """The recorded days as the chart draws them: a series per target (overall values; only
    for readers of the whole campaign) with its threshold."""
    if paths is not None:
        return None
    days = list(campaign.days.order_by("day"))
    if not days:
        return None
    targets = list(campaign.targets.select_related("subset_list"))
    return {
        "start": campaign.start.isoformat(),
        "end": campaign.end.isoformat(),
        "series": [
            {
                "name": target.get_indicator_display()
                + (f"（{target.subset}）" if target.subset else ""),
                "threshold": format(target.threshold, "f"),
                "count": target.indicator == Indicator.COMPLETIONS,
                "points": [
                    [day.day.isoformat(), day.values.get(str(target.pk))]
                    for day in days
                    if day.values.get(str(target.pk)) is not None
                ],
            }
            for target in targets
        ],
        "labels": {"threshold": _("target"), "value": _("value")},
    }


def _context(
    request: SignedInRequest,
    campaign: Campaign,
    as_of: dt.date,
    found: Any,
    rows: list[dict[str, Any]],
    regions: list[Any],
    whole: bool,
) -> dict[str, Any]:
    return {
        "campaign": campaign,
        "as_of": as_of,
        "rows": rows,
        "regions": regions,
        "final": _final_rows(campaign.final, regions),
        "final_as_of": (campaign.final or {}).get("as_of"),
        "whole": whole,
        "editable": whole and campaign.final is None,
        "met": sum(1 for target in found.targets if target.overall.met),
        "trend": trend(campaign, None if whole else region_paths(request.user)),
    }

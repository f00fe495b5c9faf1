"""The campaigns' lists, shown and exported from one definition (core.listing): the
campaigns, the projects holding a campaign's targets back, the groundbreaking batches of a
year and the list changes (清单调整).

Each source reads what its page shows, in the reader's regions; the page and its export
call the same source.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.campaigns import attainment, changes, selectors
from tiaodu.campaigns.attainment import districts
from tiaodu.campaigns.change_workflow import LIST_CHANGES
from tiaodu.campaigns.choices import ChangeStatus
from tiaodu.campaigns.models import Campaign, ListChange
from tiaodu.campaigns.permissions import (
    change_relations,
    changes_visible_to,
    may_manage_campaigns,
    reads_batches,
    reads_campaigns,
    reads_changes,
    region_paths,
)
from tiaodu.core import clock
from tiaodu.core.listing import Column, Filters, Found, Kind, Listing, Table, register
from tiaodu.projects.models import AnnualPlan

HELD_BACK = 20  # projects shown under each target of a campaign
DECIDED_CHANGES_SHOWN = 50  # decided list changes shown below those awaiting approval


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


# ---------------------------------------------------------------------------- a campaign


@dataclass(frozen=True)
class HeldBack:
    """A project that holds a target of the campaign back (a row of its page's tables)."""

    target: Any  # attainment.TargetResult
    plan: AnnualPlan


def chosen_as_of(request: SignedInRequest, start: dt.date, end: dt.date) -> dt.date | None:
    """The date asked for (within the window); None when it is not a date."""
    text = request.GET.get("as_of", "")
    if not text:
        return min(max(clock.today(), start), end)
    try:
        chosen = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return min(max(chosen, start), end)


def campaign_source(request: SignedInRequest, pk: int) -> Found:
    """A campaign as of a day in its window, in the reader's regions: each target's
    attainment overall and per district, and the projects holding it back (the first
    `HELD_BACK` of each, by district and name; of one district if chosen)."""
    actor = request.user
    campaign = selectors.campaign_for(actor, pk)
    as_of = chosen_as_of(request, campaign.start, campaign.end)
    bad_date = as_of is None
    if as_of is None:
        as_of = min(max(clock.today(), campaign.start), campaign.end)
    found = selectors.attainment_for(actor, campaign, as_of)
    whole = may_manage_campaigns(actor)
    paths = None if whole else region_paths(actor)
    regions = [
        region
        for region in districts()
        if paths is None or any(region.path.startswith(path) for path in paths)
    ]
    # A district opened from its column: the projects holding it back are its own.
    district = next((r for r in regions if str(r.pk) == request.GET.get("region")), None)
    targets: list[dict[str, Any]] = []
    held_rows: list[HeldBack] = []
    for target in found.targets:
        held = attainment.holding_back(target.target, campaign, as_of)
        if paths is not None:
            held = attainment.within(held, paths)
        if district is not None:
            held = attainment.within(held, [district.path])
        shown = list(
            held.select_related("project", "project__region").order_by(
                "project__region__path", "project__name"
            )[:HELD_BACK]
        )
        rows = [HeldBack(target, plan) for plan in shown]
        held_rows.extend(rows)
        targets.append(
            {
                "target": target,
                "regions": [
                    (region, target.by_region.get(region.region_code or str(region.pk)))
                    for region in regions
                ],
                "held": shown,
                "held_back": rows,
                "held_count": held.count(),
            }
        )

    def filters() -> Filters:
        chosen = [(_("As of"), as_of.isoformat())]
        if district is not None:
            chosen.append((_("Region"), district.name))
        return chosen

    data = {
        "campaign": campaign,
        "as_of": as_of,
        "bad_date": bad_date,
        "attainment": found,
        "whole": whole,
        "paths": paths,
        "regions": regions,
        "district": district,
        "targets": targets,
    }
    return Found(held_rows, filters, subject=campaign.name, data=data)


CAMPAIGN_PROJECTS = register(
    Listing(
        key="campaigns.held_back",
        page="campaigns:detail",
        export="campaigns:detail_export",
        name=gettext_lazy("Projects holding the campaign back"),
        fallback="campaign-held-back",
        tables=(
            Table(
                "held",
                (
                    Column(
                        gettext_lazy("Target"),
                        lambda row: row.target.target.get_indicator_display(),
                        width=20,
                    ),
                    Column(
                        gettext_lazy("Subset"),
                        lambda row: row.target.target.subset and str(row.target.target.subset),
                    ),
                    Column(
                        gettext_lazy("Project"),
                        lambda row: row.plan.project.name,
                        width=36,
                        link=lambda row: row.plan.project.get_absolute_url(),
                    ),
                    Column(
                        gettext_lazy("Region"),
                        lambda row: row.plan.project.region.name,
                        css="text-secondary text-nowrap",
                    ),
                ),
            ),
        ),
        source=campaign_source,
    )
)


# ---------------------------------------------------------------------------- batches


def batches_source(request: SignedInRequest) -> Found:
    """集中开工: the reader's batches of a year (this year unless chosen) with their
    figures."""
    if not reads_batches(request.user):
        raise Http404
    today = clock.today()
    years = selectors.batch_years(request.user)
    year = today.year if today.year in years or not years else years[0]
    text = request.GET.get("year", "").strip()
    bad_year = False
    if text:
        if text.isdecimal() and 2000 <= int(text) <= 2100:
            year = int(text)
        else:
            bad_year = True
    return Found(
        selectors.year_figures(request.user, year=year, today=today),
        lambda: [(_("Plan year"), str(year))],
        subject=str(year),
        data={
            "year": year,
            "years": sorted({*years, year, today.year}, reverse=True),
            "bad_year": bad_year,
            "today": today,
        },
    )


def _started_share(row: tuple[Any, Any]) -> Any:
    figures = row[1]
    if figures.started_rate is None and not figures.after_date:
        return _("Not yet held")
    return figures.started_rate


def _started_css(row: tuple[Any, Any]) -> str:
    figures = row[1]
    if figures.started_rate is None:
        return "td-money text-secondary"
    colour = "text-warning" if figures.not_started_count else "text-success"
    return f"td-money text-nowrap fw-bold {colour}"


BATCHES = register(
    Listing(
        key="campaigns.batches",
        page="campaigns:batches",
        export="campaigns:batches_export",
        name=gettext_lazy("Groundbreaking batches"),
        fallback="groundbreaking-batches",
        tables=(
            Table(
                "batches",
                (
                    Column(gettext_lazy("Groundbreaking date"), lambda r: r[0].date, Kind.DATE),
                    Column(
                        gettext_lazy("Batch name"),
                        lambda r: r[0].name,
                        width=32,
                        link=lambda r: r[0].get_absolute_url(),
                    ),
                    Column(
                        pgettext_lazy("groundbreaking batch", "Place"),
                        lambda r: r[0].place,
                        width=24,
                    ),
                    Column(
                        pgettext_lazy("groundbreaking batch", "Region"),
                        lambda r: r[0].region.name,
                        css="text-nowrap",
                    ),
                    Column(gettext_lazy("Projects"), lambda r: r[1].count, Kind.COUNT),
                    Column(
                        gettext_lazy("Total investment (10k yuan)"),
                        lambda r: r[1].total_investment,
                        Kind.MONEY,
                        width=16,
                    ),
                    Column(
                        gettext_lazy("Annual plan (10k yuan)"),
                        lambda r: r[1].annual_plan,
                        Kind.MONEY,
                        width=16,
                    ),
                    Column(
                        gettext_lazy("Started share"), _started_share, Kind.RATE, css=_started_css
                    ),
                    Column(
                        gettext_lazy("Started projects"),
                        lambda r: f"{r[1].started}/{r[1].count}" if r[1].after_date else "",
                        under=True,
                    ),
                ),
            ),
        ),
        source=batches_source,
    )
)


# ---------------------------------------------------------------------------- list changes


def changes_source(request: SignedInRequest) -> Found:
    """清单调整: the changes the reader sees, those awaiting approval (oldest first), then the
    latest decided (`data["decided"]`)."""
    if not reads_changes(request.user):
        raise Http404
    visible = changes_visible_to(request.user).select_related(
        "key_list",
        "to_list",
        "outgoing__project__region",
        "incoming__project__region",
        "proposed_by",
        "decided_by",
    )
    pending = list(visible.filter(status=ChangeStatus.PROPOSED).order_by("created_at"))
    decided = list(visible.exclude(status=ChangeStatus.PROPOSED)[:DECIDED_CHANGES_SHOWN])
    for change in pending + decided:
        change.summary = changes.summary(change)  # type: ignore[attr-defined]
        change.actions = LIST_CHANGES.actions_for(  # type: ignore[attr-defined]
            change_relations(request.user, change), change.status
        )
    return Found(pending, list, data={"decided": decided})


def _change_columns() -> tuple[Column[ListChange], ...]:
    return (
        Column(gettext_lazy("Kind"), lambda c: c.get_kind_display(), css="text-nowrap"),
        Column(
            gettext_lazy("Change"),
            lambda c: getattr(c, "summary", ""),
            width=48,
            link=lambda c: reverse("campaigns:change", args=[c.pk]),
        ),
        Column(
            gettext_lazy("Reason"),
            lambda c: c.reason,
            width=40,
            truncate=60,
            css="text-secondary small",
        ),
        Column(gettext_lazy("Proposed by"), lambda c: str(c.proposed_by), css="text-nowrap"),
        Column(gettext_lazy("Proposed on"), lambda c: c.created_at, Kind.DATE, under=True),
        Column(gettext_lazy("Status"), lambda c: c.get_status_display(), css="text-nowrap"),
        Column(
            pgettext_lazy("list change", "Effective on"),
            lambda c: c.effective,
            Kind.DATE,
            under=True,
            lead=pgettext_lazy("list change", "from "),
        ),
    )


CHANGES = register(
    Listing(
        key="campaigns.changes",
        page="campaigns:changes",
        export="campaigns:changes_export",
        name=gettext_lazy("List changes"),
        fallback="list-changes",
        tables=(
            Table("pending", _change_columns(), gettext_lazy("Awaiting approval")),
            Table(
                "decided",
                _change_columns(),
                gettext_lazy("Decided"),
                rows=lambda found: found.data["decided"],
            ),
        ),
        source=changes_source,
    )
)

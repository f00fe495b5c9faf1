"""Reading campaigns: the attainment a reader may see (its own regions' entries). Reading
groundbreaking batches: the batches an actor may see, one batch's projects with their totals,
the candidates to add, and the batch of a project."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from tiaodu.campaigns import attainment
from tiaodu.campaigns.models import BatchEntry, Campaign, GroundbreakingBatch
from tiaodu.campaigns.permissions import may_manage_campaigns, reads_campaigns, region_paths
from tiaodu.core.numbers import percent
from tiaodu.core.scoping import Someone, restrict
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.projects.models import AnnualPlan, Project


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


# Groundbreaking batches (集中开工).
# The candidates of a batch are planned to start within this many days of its date (a site
# sets TIAODU_BATCH_WINDOW_DAYS; a dispatcher widens or narrows it on the batch's page).
DEFAULT_WINDOW_DAYS = 30
MAX_WINDOW_DAYS = 366
ENTRY_RELATED = ("project", "project__region", "project__owner_unit")


def window_days() -> int:
    return int(getattr(settings, "TIAODU_BATCH_WINDOW_DAYS", DEFAULT_WINDOW_DAYS))


def batches_visible_to(actor: Someone) -> QuerySet[GroundbreakingBatch]:
    """The batches of the regions the actor dispatches or leads, newest first."""
    return restrict(GroundbreakingBatch.objects.select_related("region"), actor)


def batch_for(actor: Someone, pk: int) -> GroundbreakingBatch:
    """One batch the actor may see; 404 otherwise."""
    return get_object_or_404(batches_visible_to(actor), pk=pk)


def batch_years(actor: Someone) -> list[int]:
    """The years of the actor's batches, newest first."""
    dates = batches_visible_to(actor).dates("date", "year", order="DESC")
    return [day.year for day in dates]


def batch_plans(batch: GroundbreakingBatch) -> QuerySet[AnnualPlan]:
    """The batch's plan entries, the largest investment first (the batch was read in scope,
    and its entries lie in its region)."""
    return (
        AnnualPlan.objects.filter(groundbreaking_batches=batch)
        .select_related(*ENTRY_RELATED)
        .order_by("-project__total_investment", "project__name", "pk")
    )


@dataclass
class BatchFigures:
    """A batch's totals; the started share only once its date has come."""

    count: int
    total_investment: Decimal
    annual_plan: Decimal
    started: int
    # Two-place percentage string; None before the date (or for an empty batch).
    started_rate: str | None
    after_date: bool
    not_started: list[int] = field(default_factory=list)

    @property
    def not_started_count(self) -> int:
        return self.count - self.started


def started_by(plan: AnnualPlan, today: dt.date) -> bool:
    """Whether the entry's project actually started on or before `today`."""
    start = plan.project.actual_start
    return start is not None and start <= today


def figures_of(
    plans: list[AnnualPlan], *, batch: GroundbreakingBatch, today: dt.date
) -> BatchFigures:
    """Count, total investment, annual plan and, after the date, the share started by today."""
    after = today >= batch.date
    started = [plan for plan in plans if started_by(plan, today)]
    return BatchFigures(
        count=len(plans),
        total_investment=sum((plan.project.total_investment for plan in plans), Decimal(0)),
        annual_plan=sum((plan.planned_investment for plan in plans), Decimal(0)),
        started=len(started),
        started_rate=percent(len(started), len(plans)) if after else None,
        after_date=after,
        not_started=[plan.pk for plan in plans if not started_by(plan, today)] if after else [],
    )


def batch_figures(batch: GroundbreakingBatch, *, today: dt.date) -> BatchFigures:
    return figures_of(list(batch_plans(batch)), batch=batch, today=today)


def year_figures(
    actor: Someone, *, year: int, today: dt.date
) -> list[tuple[GroundbreakingBatch, BatchFigures]]:
    """Each of the actor's batches of the year, by date, with its figures (the statistics
    page's section)."""
    batches = list(batches_visible_to(actor).filter(date__year=year).order_by("date", "name"))
    entries: dict[int, list[AnnualPlan]] = {batch.pk: [] for batch in batches}
    rows = BatchEntry.objects.filter(batch__in=batches).select_related(
        "annual_plan", "annual_plan__project"
    )
    for entry in rows:
        entries[entry.batch_id].append(entry.annual_plan)
    return [(batch, figures_of(entries[batch.pk], batch=batch, today=today)) for batch in batches]


def region_plans(batch: GroundbreakingBatch) -> QuerySet[AnnualPlan]:
    """The new-start entries of the batch's year in its region: what may join it."""
    return AnnualPlan.objects.filter(
        year=batch.year,
        nature=AnnualPlanNature.NEW_START,
        project__region__path__startswith=batch.region.path,
    )


def candidates(batch: GroundbreakingBatch, *, days: int) -> QuerySet[AnnualPlan]:
    """New-start entries of the region planned to start within ±`days` of the date and in no
    batch yet, the nearest planned start first."""
    span = dt.timedelta(days=days)
    return (
        region_plans(batch)
        .filter(planned_start__range=(batch.date - span, batch.date + span))
        .exclude(pk__in=BatchEntry.objects.values("annual_plan"))
        .select_related(*ENTRY_RELATED)
        .order_by("planned_start", "-project__total_investment", "pk")
    )


def project_batch_entries(actor: Someone, project: Project) -> list[BatchEntry]:
    """The batches the project's plan entries are in, as the actor reaches them through the
    project (a reporter sees its project's batch without opening the batch pages)."""
    return list(
        restrict(BatchEntry.objects.all(), actor)
        .filter(annual_plan__project=project)
        .select_related("batch", "batch__region", "annual_plan")
        .order_by("-batch__date")
    )

"""The candidates to replace a lagging entry on a list (动态调整, DOMAIN.md §8), ranked by
readiness: entries of the same year, not on the list, in the proposer's regions, new
starts, reserve entries or of the outgoing entry's nature (`pool`), whose project's total
investment is within ±30% (the site's `TIAODU_REPLACEMENT_BAND`) of the outgoing one's.

Readiness is a score out of 100, each part shown on the page beside the outgoing entry:
- procedures (40): the share of the needed procedures done (none needed: all done);
- stage (30): an entry already in the plan to build (new start, continuing, completing) 30;
  a reserve entry by its stage, 6 for an agreement signed up to 30 for pre-construction;
- start (20): started 20; planned to start within 30 days 15; later this year 10; else
  (no date, overdue, next year) 0;
- investment (10): 10 for the same total investment, falling to 0 at the band's edge.
Ties go to the nearer investment, then the name.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from tiaodu.campaigns.permissions import change_regions
from tiaodu.core import clock
from tiaodu.core.scoping import Someone
from tiaodu.projects import lists as key_lists
from tiaodu.projects.choices import AnnualPlanNature, ProcedureStatus, ReserveStage
from tiaodu.projects.models import AnnualPlan, KeyProjectList

DEFAULT_BAND = Decimal("0.30")
SOON = dt.timedelta(days=30)
STAGES = list(ReserveStage.values)


def band() -> Decimal:
    return Decimal(str(getattr(settings, "TIAODU_REPLACEMENT_BAND", DEFAULT_BAND)))


@dataclass
class Readiness:
    """One entry's readiness, part by part."""

    plan: AnnualPlan
    procedures_done: int
    procedures_needed: int
    procedures: int
    stage: int
    start: int
    investment: int
    gap: Decimal  # the relative difference of total investment from the outgoing entry's

    @property
    def score(self) -> int:
        return self.procedures + self.stage + self.start + self.investment

    @property
    def gap_percent(self) -> str:
        return f"{self.gap * 100:+.1f}%"


def _stage_points(plan: AnnualPlan) -> int:
    if plan.nature != AnnualPlanNature.RESERVE:
        return 30
    if plan.reserve_stage in STAGES:
        return 6 * (STAGES.index(plan.reserve_stage) + 1)
    return 0


def _start_points(plan: AnnualPlan, today: dt.date) -> int:
    if plan.project.actual_start is not None and plan.project.actual_start <= today:
        return 20
    planned = plan.planned_start
    if planned is None or planned < today:
        return 0  # no date, or overdue and not started
    if planned <= today + SOON:
        return 15
    return 10 if planned.year <= plan.year else 0


def _gap(plan: AnnualPlan, reference: Decimal) -> Decimal:
    if not reference:
        return Decimal(0)
    return (plan.project.total_investment - reference) / reference


def readiness(plan: AnnualPlan, reference: Decimal, today: dt.date) -> Readiness:
    """The entry's readiness, against the outgoing entry's total investment `reference`.
    The plan is annotated with `procedures_done` and `procedures_needed` (`_annotated`)."""
    done: int = getattr(plan, "procedures_done", 0)
    needed: int = getattr(plan, "procedures_needed", 0)
    gap = _gap(plan, reference)
    width = band()
    closeness = max(Decimal(0), 1 - abs(gap) / width) if width else Decimal(1)
    return Readiness(
        plan=plan,
        procedures_done=done,
        procedures_needed=needed,
        procedures=round(40 * done / needed) if needed else 40,
        stage=_stage_points(plan),
        start=_start_points(plan, today),
        investment=int((10 * closeness).to_integral_value()),
        gap=gap,
    )


def _annotated(plans: QuerySet[AnnualPlan]) -> QuerySet[AnnualPlan]:
    needed = Q(
        project__procedures__status__in=[
            status for status in ProcedureStatus.values if status != ProcedureStatus.NOT_NEEDED
        ]
    )
    return plans.select_related("project__region", "project__responsible_unit").annotate(
        procedures_needed=Count("project__procedures", filter=needed),
        procedures_done=Count(
            "project__procedures", filter=Q(project__procedures__status=ProcedureStatus.DONE)
        ),
    )


def readiness_of(plan: AnnualPlan, reference: Decimal) -> Readiness:
    """One entry's readiness against a total investment (a change's page)."""
    annotated = _annotated(AnnualPlan.objects.filter(pk=plan.pk)).get()
    return readiness(annotated, reference, clock.today())


def outgoing_readiness(outgoing: AnnualPlan) -> Readiness:
    """The outgoing entry measured as its candidates are (the first column of the page)."""
    return readiness_of(outgoing, outgoing.project.total_investment)


def pool(outgoing: AnnualPlan) -> list[str]:
    """The natures that may take the outgoing entry's place: new starts and reserve entries
    (the ones a list is refreshed with), and entries of its own nature (a continuing
    project lagging in investment may give way to another continuing one)."""
    natures = {AnnualPlanNature.NEW_START, AnnualPlanNature.RESERVE, outgoing.nature}
    return sorted(str(nature) for nature in natures)


def candidates(
    actor: Someone, outgoing: AnnualPlan, key_list: KeyProjectList, limit: int = 50
) -> list[Readiness]:
    """The entries that may take the outgoing entry's place on the list, readiest first."""
    today = clock.today()
    reference = outgoing.project.total_investment
    width = band()
    paths = change_regions(actor)
    if not paths:
        return []
    in_regions = Q(pk__in=[])
    for path in paths:
        in_regions |= Q(project__region__path__startswith=path)
    on_list = key_lists.plan_ids_on(key_lists.day_within(key_list.year, today), [key_list.pk])
    plans = (
        AnnualPlan.objects.filter(in_regions, year=outgoing.year, nature__in=pool(outgoing))
        .exclude(pk=outgoing.pk)
        .exclude(pk__in=on_list)
        .exclude(project__actual_completion__isnull=False)
        .filter(
            project__total_investment__gte=reference * (1 - width),
            project__total_investment__lte=reference * (1 + width),
        )
    )
    ranked = [readiness(plan, reference, today) for plan in _annotated(plans)]
    ranked.sort(key=lambda item: (-item.score, abs(item.gap), item.plan.project.name))
    return ranked[:limit]

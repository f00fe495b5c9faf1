"""A campaign's attainment as of a date: each target's value over the campaign's entries,
overall and per district, and whether it is met.

The values are the figure set's (DOMAIN.md §4), computed from the same conditions
(`projects.figure_conditions`) and rounded the same way (`core.numbers.percent`): the start
rate is started new starts ÷ new starts, the investment completion rate the year-to-date
completed ÷ the annual plan, the inclusion rate the entries in the statistics ÷ the started
ones, completions a count of entries completed in the year; the procedures complete rate is
the procedures done ÷ those needed (not `not_needed`) of the entries; the special-bond funds
spent rate the funds spent by the date ÷ those allotted, over the entries with bond funds.
A test in analytics compares them with the figure set for the same scope and date.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from tiaodu.accounts.models import OrgUnit
from tiaodu.campaigns.choices import Comparison, Indicator
from tiaodu.campaigns.models import Campaign, Target
from tiaodu.core.numbers import percent
from tiaodu.projects import figure_conditions as conditions
from tiaodu.projects import lists as key_lists
from tiaodu.projects.choices import ProcedureStatus
from tiaodu.projects.models import AnnualPlan, Procedure


@dataclass
class Value:
    value: str | None
    met: bool

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "met": self.met}


@dataclass
class TargetAttainment:
    target: Target
    overall: Value
    by_region: dict[str, Value] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.target.indicator,
            "subset": self.target.subset,
            "comparison": self.target.comparison,
            "threshold": format(self.target.threshold, "f"),
            "value": self.overall.value,
            "met": self.overall.met,
            "by_region": {code: value.as_dict() for code, value in self.by_region.items()},
        }


@dataclass
class Attainment:
    campaign: Campaign
    as_of: dt.date
    targets: list[TargetAttainment]

    def as_dict(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign.pk,
            "as_of": self.as_of.isoformat(),
            "targets": [target.as_dict() for target in self.targets],
        }


def list_day(campaign: Campaign, day: dt.date) -> dt.date:
    """The day the campaign's lists are read on for `day`: the lists as they stood then
    (a replacement since changes the days after it only), within the campaign's year."""
    return key_lists.day_within(campaign.year, day)


def campaign_plans(campaign: Campaign, day: dt.date) -> QuerySet[AnnualPlan]:
    """The plan entries the campaign covers on `day`: of its year, on any of its lists as
    they stood that day, of its levels, in its regions (an empty scope part restricts
    nothing)."""
    plans = AnnualPlan.objects.filter(year=campaign.year)
    list_ids = list(campaign.lists.values_list("pk", flat=True))
    if list_ids:
        plans = plans.filter(pk__in=key_lists.plan_ids_on(list_day(campaign, day), list_ids))
    if campaign.levels:
        plans = plans.filter(level__in=campaign.levels)
    paths = list(campaign.regions.values_list("path", flat=True))
    if paths:
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(project__region__path__startswith=path)
        plans = plans.filter(condition)
    return plans


def target_plans(target: Target, plans: QuerySet[AnnualPlan], day: dt.date) -> QuerySet[AnnualPlan]:
    """The campaign's entries in the target's subset on `day`."""
    if target.subset_list_id:
        day = key_lists.day_within(target.campaign.year, day)
        plans = plans.filter(pk__in=key_lists.plan_ids_on(day, [target.subset_list_id]))
    if target.subset_category:
        plans = plans.filter(project__category=target.subset_category)
    if target.subset_level:
        plans = plans.filter(level=target.subset_level)
    return plans


def districts() -> list[OrgUnit]:
    """The regions just below the site's top region."""
    top = OrgUnit.objects.regions().order_by("depth", "path").first()
    if top is None:
        return []
    return list(OrgUnit.objects.regions().filter(parent=top).order_by("path"))


def value_of(indicator: str, plans: QuerySet[AnnualPlan], year: int, as_of: dt.date) -> str | None:
    """One indicator's value over the entries (a rate as two-place text, or a count)."""
    if indicator == Indicator.START_RATE:
        row = plans.aggregate(
            planned=Count("id", filter=conditions.new_start()),
            started=Count("id", filter=conditions.new_start() & conditions.started(as_of)),
        )
        return percent(row["started"], row["planned"])
    if indicator == Indicator.COMPLETION_RATE:
        row = plans.aggregate(
            plan=Sum("planned_investment"), ytd=Sum(conditions.ytd_completed(as_of))
        )
        return percent(row["ytd"], row["plan"])
    if indicator == Indicator.INCLUSION_RATE:
        row = plans.aggregate(
            due=Count("id", filter=conditions.started(as_of)),
            included=Count("id", filter=conditions.in_statistics(as_of)),
        )
        return percent(row["included"], row["due"])
    if indicator == Indicator.COMPLETIONS:
        return str(plans.filter(conditions.completed(year, as_of)).count())
    if indicator == Indicator.PROCEDURES_RATE:
        procedures = Procedure.objects.filter(project__in=plans.values("project")).exclude(
            status=ProcedureStatus.NOT_NEEDED
        )
        row = procedures.aggregate(
            needed=Count("id"),
            done=Count(
                "id",
                filter=Q(status=ProcedureStatus.DONE)
                & (Q(completed_on__isnull=True) | Q(completed_on__lte=as_of)),
            ),
        )
        return percent(row["done"], row["needed"])
    if indicator == Indicator.FUNDS_SPENT_RATE:
        row = plans.filter(conditions.has_bond_funds()).aggregate(
            allotted=Sum("bond_funds"), spent=Sum(conditions.bond_funds_spent(as_of))
        )
        return percent(row["spent"], row["allotted"])
    raise ValueError(f"unknown indicator {indicator!r}")


def met(target: Target, value: str | None) -> bool:
    """Whether the value meets the target (a rate of nothing meets nothing)."""
    if value is None:
        return False
    number = Decimal(value)
    if target.comparison == Comparison.AT_MOST:
        return number <= target.threshold
    return number >= target.threshold


def within(plans: QuerySet[AnnualPlan], paths: list[str]) -> QuerySet[AnnualPlan]:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(project__region__path__startswith=path)
    return plans.filter(condition)


def attainment(campaign: Campaign, as_of: dt.date, *, paths: list[str] | None = None) -> Attainment:
    """Each target's value as of the date, overall and per district (by region code). With
    `paths` (a reader's regions), over the entries of those regions only, and only the
    districts they hold."""
    plans = campaign_plans(campaign, as_of)
    regions = districts()
    if paths is not None:
        plans = within(plans, paths)
        regions = [region for region in regions if any(region.path.startswith(p) for p in paths)]
    results: list[TargetAttainment] = []
    for target in campaign.targets.select_related("subset_list"):
        chosen = target_plans(target, plans, as_of)
        overall = value_of(target.indicator, chosen, campaign.year, as_of)
        found = TargetAttainment(target=target, overall=Value(overall, met(target, overall)))
        for region in regions:
            in_region = chosen.filter(project__region__path__startswith=region.path)
            if not in_region.exists():
                continue
            value = value_of(target.indicator, in_region, campaign.year, as_of)
            found.by_region[region.region_code or str(region.pk)] = Value(value, met(target, value))
        results.append(found)
    return Attainment(campaign=campaign, as_of=as_of, targets=results)


def holding_back(target: Target, campaign: Campaign, as_of: dt.date) -> QuerySet[AnnualPlan]:
    """The entries that hold a target back: new starts not started (start rate), started
    entries not included (inclusion rate), entries below the time progress (completion
    rate), entries with procedures still to do (procedures rate), entries with special-bond
    funds not all spent (funds spent rate); none for a count."""
    plans = target_plans(target, campaign_plans(campaign, as_of), as_of)
    if target.indicator == Indicator.START_RATE:
        return plans.filter(conditions.new_start()).exclude(conditions.started(as_of))
    if target.indicator == Indicator.INCLUSION_RATE:
        return plans.filter(conditions.started(as_of)).exclude(conditions.in_statistics(as_of))
    if target.indicator == Indicator.COMPLETION_RATE:
        return plans.filter(conditions.lagging(as_of))
    if target.indicator == Indicator.PROCEDURES_RATE:
        pending = Procedure.objects.exclude(
            status__in=[ProcedureStatus.NOT_NEEDED, ProcedureStatus.DONE]
        )
        return plans.filter(project__in=pending.values("project"))
    if target.indicator == Indicator.FUNDS_SPENT_RATE:
        return plans.filter(conditions.bond_funds_unspent(as_of))
    return plans.none()

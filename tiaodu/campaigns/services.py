"""Writing campaigns: creating one with its targets, changing it, copying last year's, and
keeping the final comparison of regions (大比拼) as it stood at the window's end.

Groundbreaking batches: a dispatcher creates batches within its region and puts in them the
new-start plan entries of the batch's year in that region; an entry is in one batch at most.
Each write is audited in its transaction; a refusal (PermissionDenied or ValidationError,
translated) changes nothing.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.campaigns import attainment
from tiaodu.campaigns.choices import COUNTS, Comparison, Indicator
from tiaodu.campaigns.models import BatchEntry, Campaign, CampaignDay, GroundbreakingBatch, Target
from tiaodu.campaigns.permissions import batch_regions, may_edit_batch, may_manage_campaigns
from tiaodu.core import audit, clock
from tiaodu.core.scoping import Actor
from tiaodu.projects.choices import AnnualPlanLevel, AnnualPlanNature, ProjectCategory
from tiaodu.projects.models import AnnualPlan, KeyProjectList


@dataclass(frozen=True)
class TargetSpec:
    """A target as written on the form (or copied from last year's campaign)."""

    indicator: str
    threshold: Decimal
    comparison: str = Comparison.AT_LEAST
    subset_list: KeyProjectList | None = None
    subset_category: str = ""
    subset_level: str = ""


def _require(actor: Actor | None) -> None:
    if actor is not None and not may_manage_campaigns(actor):
        raise PermissionDenied(_("Only a dispatcher of the whole site runs campaigns."))


def _check(
    name: str, year: int, start: dt.date, end: dt.date, levels: list[str], targets: list[TargetSpec]
) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the campaign a name.")
    if end < start:
        errors["end"] = _("The campaign ends before it starts.")
    if start.year != year or end.year != year:
        errors["start"] = _("The window must lie within the plan year %(year)d.") % {"year": year}
    unknown = [level for level in levels if level not in AnnualPlanLevel.values]
    if unknown:
        errors["levels"] = _("Choose levels among those offered.")
    if not targets:
        errors["targets"] = _("Set at least one target.")
    for target in targets:
        problem = target_problem(target)
        if problem:
            errors["targets"] = problem
        if target.subset_list is not None and target.subset_list.year != year:
            errors["targets"] = _("A target's list must be of the campaign's year.")
    if errors:
        raise ValidationError(errors)


def target_problem(target: TargetSpec) -> str | None:
    """What is wrong with a target, its list's year aside, or None (the form asks it of each
    row, so that the message stands beside the row)."""
    if target.indicator not in Indicator.values:
        return _("Choose each target's indicator among those offered.")
    if target.comparison not in Comparison.values:
        return _("Choose “at least” or “at most”.")
    categories, levels = ("", *ProjectCategory.values), ("", *AnnualPlanLevel.values)
    if target.subset_category not in categories or target.subset_level not in levels:
        return _("Choose the target's subset among those offered.")
    if target.threshold < 0:
        return _("A threshold cannot be negative.")
    if target.indicator not in COUNTS and target.threshold > 100:
        return _("A rate's threshold lies between 0 and 100.")
    return None


def _lists_of_year(lists: list[KeyProjectList], year: int) -> None:
    if any(item.year != year for item in lists):
        raise ValidationError({"lists": _("Choose lists of the campaign's year.")})


def _targets_text(campaign: Campaign) -> str:
    """The targets in words, in their order, as the audit log keeps them."""
    with audit.in_site_language():
        return "；".join(
            f"{target.get_indicator_display()}"
            f"{f'（{target.subset}）' if target.subset else ''}"
            f" {target.get_comparison_display()} {target.threshold}"
            for target in campaign.targets.select_related("subset_list")
        )


def _audited(campaign: Campaign) -> dict[str, str]:
    """The campaign's audited fields, its targets included."""
    return {**audit.snapshot(campaign), "targets": _targets_text(campaign)}


def _write_target(campaign: Campaign, spec: TargetSpec, order: int) -> Target:
    return Target.objects.create(
        campaign=campaign,
        indicator=spec.indicator,
        threshold=spec.threshold,
        comparison=spec.comparison,
        subset_list=spec.subset_list,
        subset_category=spec.subset_category,
        subset_level=spec.subset_level,
        order=order,
    )


@transaction.atomic
def create_campaign(
    *,
    actor: Actor | None,
    name: str,
    year: int,
    start: dt.date,
    end: dt.date,
    targets: Iterable[TargetSpec],
    lists: Iterable[KeyProjectList] = (),
    levels: Iterable[str] = (),
    regions: Iterable[OrgUnit] = (),
    copied_from: Campaign | None = None,
) -> Campaign:
    """A campaign over the entries of its scope, with its targets."""
    _require(actor)
    chosen_targets, chosen_lists, chosen_levels = list(targets), list(lists), list(levels)
    _check(name, year, start, end, chosen_levels, chosen_targets)
    _lists_of_year(chosen_lists, year)
    campaign = Campaign(
        name=name.strip(),
        year=year,
        start=start,
        end=end,
        levels=chosen_levels,
        copied_from=copied_from,
        created_by_id=actor.pk if actor is not None else None,
    )
    campaign.full_clean()
    campaign.save()
    campaign.lists.set(chosen_lists)
    campaign.regions.set(list(regions))
    for order, spec in enumerate(chosen_targets):
        _write_target(campaign, spec, order)
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        instance=campaign,
        changes=audit.diff({}, _audited(campaign)),
    )
    return campaign


def finished_refusal(campaign: Campaign) -> str | None:
    """Why the campaign can no longer be changed (its final comparison is kept), or None."""
    if campaign.final is None:
        return None
    return _(
        "The final comparison of “%(name)s” is kept: a finished campaign is no longer "
        "changed. Copy it into a new campaign instead."
    ) % {"name": campaign.name}


Measure = tuple[str, int | None, str, str]


def _measure_of(target: Target) -> Measure:
    """What a target measures: the same measure gives the same value on a day, whatever its
    threshold or comparison."""
    return (target.indicator, target.subset_list_id, target.subset_category, target.subset_level)


def _measure(spec: TargetSpec) -> Measure:
    list_id = spec.subset_list.pk if spec.subset_list is not None else None
    return (spec.indicator, list_id, spec.subset_category, spec.subset_level)


def _replace_targets(campaign: Campaign, specs: list[TargetSpec]) -> set[str]:
    """The campaign's targets become `specs`, in their order. A target whose measure stays
    keeps its row (and so its recorded values); the others are deleted. The ids of the
    targets whose values still hold."""
    existing = list(campaign.targets.all())
    kept: set[str] = set()
    for order, spec in enumerate(specs):
        same = next((t for t in existing if _measure_of(t) == _measure(spec)), None)
        if same is None:
            _write_target(campaign, spec, order)
            continue
        existing.remove(same)
        same.comparison, same.threshold, same.order = spec.comparison, spec.threshold, order
        same.save(update_fields=["comparison", "threshold", "order"])
        kept.add(str(same.pk))
    Target.objects.filter(pk__in=[target.pk for target in existing]).delete()
    return kept


def _scope(campaign: Campaign) -> tuple[set[int], list[str], set[int]]:
    return (
        set(campaign.lists.values_list("pk", flat=True)),
        sorted(campaign.levels),
        set(campaign.regions.values_list("pk", flat=True)),
    )


def _forget_days(campaign: Campaign, *, kept: set[str], same_scope: bool) -> None:
    """Drop what the recorded days say that no longer holds (see `update_campaign`)."""
    days = CampaignDay.objects.filter(campaign=campaign)
    if not same_scope:
        days.delete()
        return
    days.exclude(day__range=(campaign.start, campaign.end)).delete()
    days.filter(day__gte=clock.today()).delete()
    for day in days.all():
        values = {key: value for key, value in day.values.items() if key in kept}
        if values != day.values:
            day.values = values
            day.save(update_fields=["values"])


@transaction.atomic
def update_campaign(
    *,
    actor: Actor | None,
    campaign: Campaign,
    name: str,
    start: dt.date,
    end: dt.date,
    targets: Iterable[TargetSpec],
    lists: Iterable[KeyProjectList] = (),
    levels: Iterable[str] = (),
    regions: Iterable[OrgUnit] = (),
) -> Campaign:
    """The campaign's name, window, scope and targets changed (its plan year stays), with
    the checks of `create_campaign`; a campaign whose final comparison is kept is refused.

    The targets given replace the campaign's. The days the daily round recorded for the
    trend chart keep only values that still mean what they meant: a target whose measure
    (indicator and subset) stays keeps its id, so a new threshold or comparison leaves its
    values; the values of removed or redefined targets are dropped; days outside the new
    window are deleted, and so is every day when the scope (lists, levels, regions) changed,
    since each value was counted over other entries. Days from today on are deleted too: the
    daily round records today's again. Past days are not computed anew: the chart shows what
    was recorded, and figures as of a past date read today may differ from what they were.
    """
    _require(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    refusal = finished_refusal(campaign)
    if refusal:
        raise ValidationError(refusal)
    chosen_targets, chosen_lists, chosen_levels = list(targets), list(lists), list(levels)
    chosen_regions = list(regions)
    _check(name, campaign.year, start, end, chosen_levels, chosen_targets)
    _lists_of_year(chosen_lists, campaign.year)
    before, scope = _audited(campaign), _scope(campaign)
    campaign.name, campaign.start, campaign.end = name.strip(), start, end
    campaign.levels = chosen_levels
    campaign.full_clean()
    campaign.save()
    campaign.lists.set(chosen_lists)
    campaign.regions.set(chosen_regions)
    kept = _replace_targets(campaign, chosen_targets)
    _forget_days(campaign, kept=kept, same_scope=_scope(campaign) == scope)
    changes = audit.diff(before, _audited(campaign))
    if changes:
        audit.record(
            actor=actor, action=audit.AuditAction.UPDATE, instance=campaign, changes=changes
        )
    return campaign


def _shifted(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


@transaction.atomic
def copy_campaign(*, actor: Actor | None, source: Campaign, year: int, name: str = "") -> Campaign:
    """This year's campaign from last year's: the same window, scope and targets, with the
    lists of the new year that bear the same names."""
    lists_by_name = {item.name: item for item in KeyProjectList.objects.filter(year=year)}

    def same(item: KeyProjectList | None) -> KeyProjectList | None:
        if item is None:
            return None
        found = lists_by_name.get(item.name)
        if found is None:
            raise ValidationError(
                {
                    "lists": _("The list “%(name)s” has no %(year)d edition.")
                    % {"name": item.name, "year": year}
                }
            )
        return found

    targets = [
        TargetSpec(
            indicator=target.indicator,
            threshold=target.threshold,
            comparison=target.comparison,
            subset_list=same(target.subset_list),
            subset_category=target.subset_category,
            subset_level=target.subset_level,
        )
        for target in source.targets.select_related("subset_list")
    ]
    return create_campaign(
        actor=actor,
        name=name or source.name.replace(str(source.year), str(year)),
        year=year,
        start=_shifted(source.start, year),
        end=_shifted(source.end, year),
        targets=targets,
        lists=[found for item in source.lists.all() if (found := same(item)) is not None],
        levels=source.levels,
        regions=source.regions.all(),
        copied_from=source,
    )


@transaction.atomic
def keep_final_comparison(*, campaign: Campaign) -> dict[str, Any] | None:
    """At the window's end, the attainment of every region as it stood on the last day, kept
    on the campaign (later changes to the figures leave it as it was); None before the end
    or when it is kept already."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.final is not None or clock.today() <= campaign.end:
        return None
    campaign.final = attainment.attainment(campaign, campaign.end).as_dict()
    campaign.save(update_fields=["final", "updated_at"])
    audit.record(
        actor=None,
        action=audit.AuditAction.UPDATE,
        instance=campaign,
        changes={"final": ["", campaign.end.isoformat()]},
    )
    return campaign.final


def record_day(*, campaign: Campaign, day: dt.date) -> CampaignDay:
    """The campaign's overall value of each target on the day (within its window), kept for
    the trend chart; recording a day again replaces it."""
    if not campaign.start <= day <= campaign.end:
        raise ValidationError(_("The day is outside the campaign's window."))
    plans = attainment.campaign_plans(campaign, day)
    values = {
        str(target.pk): attainment.value_of(
            target.indicator, attainment.target_plans(target, plans, day), campaign.year, day
        )
        for target in campaign.targets.select_related("subset_list")
    }
    found, _created = CampaignDay.objects.update_or_create(
        campaign=campaign, day=day, defaults={"values": values}
    )
    return found


def daily_round(today: dt.date) -> int:
    """What the daily round does for campaigns: record today's values of those running, and
    keep the final comparison of those that ended. How many campaigns it touched."""
    touched = 0
    for campaign in Campaign.objects.filter(start__lte=today, end__gte=today):
        record_day(campaign=campaign, day=today)
        touched += 1
    for campaign in Campaign.objects.filter(end__lt=today, final__isnull=True):
        if keep_final_comparison(campaign=campaign) is not None:
            touched += 1
    return touched


# Groundbreaking batches (集中开工).
NAME_MAX, PLACE_MAX = 100, 200


def _clean(
    *, actor: Actor, name: str, date: dt.date | None, place: str, region: OrgUnit | None
) -> tuple[str, dt.date, str, OrgUnit]:
    name, place = (name or "").strip(), (place or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the batch a name, e.g. 2026年春季重大项目集中开工.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Keep the name to %(count)s characters.") % {"count": NAME_MAX}
    if date is None:
        errors["date"] = _("Give the groundbreaking date as YYYY-MM-DD.")
    if len(place) > PLACE_MAX:
        errors["place"] = _("Keep the place to %(count)s characters.") % {"count": PLACE_MAX}
    if region is None:
        errors["region"] = _("Choose the region whose projects the batch gathers.")
    if errors:
        raise ValidationError(errors)
    assert date is not None and region is not None
    if not batch_regions(actor).filter(pk=region.pk).exists():
        raise PermissionDenied(_("A dispatcher creates batches within its own region only."))
    return name, date, place, region


def _require_editor(actor: Actor, batch: GroundbreakingBatch) -> None:
    if not may_edit_batch(actor, batch):
        raise PermissionDenied(_("Only a dispatcher of the batch's region changes it."))


def create_batch(
    *, actor: Actor, name: str, date: dt.date | None, place: str, region: OrgUnit | None
) -> GroundbreakingBatch:
    """A new batch of the region, with no projects yet."""
    name, date, place, region = _clean(
        actor=actor, name=name, date=date, place=place, region=region
    )
    with transaction.atomic():
        batch = GroundbreakingBatch.objects.create(name=name, date=date, place=place, region=region)
        audit.record_create(actor=actor, instance=batch)
    return batch


def update_batch(
    *,
    actor: Actor,
    batch: GroundbreakingBatch,
    name: str,
    date: dt.date | None,
    place: str,
    region: OrgUnit | None,
) -> GroundbreakingBatch:
    """The batch's name, date, place or region changed; its projects must still belong to
    it (the year of the date, inside the region)."""
    _require_editor(actor, batch)
    name, date, place, region = _clean(
        actor=actor, name=name, date=date, place=place, region=region
    )
    plans = AnnualPlan.objects.filter(groundbreaking_batches=batch).select_related(
        "project__region"
    )
    if any(plan.year != date.year for plan in plans):
        raise ValidationError(
            {
                "date": _(
                    "The batch holds projects of %(year)s: keep the date in that year, or take "
                    "them out first."
                )
                % {"year": batch.year}
            }
        )
    outside = [
        plan.project.name for plan in plans if not plan.project.region.path.startswith(region.path)
    ]
    if outside:
        raise ValidationError(
            {
                "region": _("These projects lie outside %(region)s: %(names)s.")
                % {"region": region.name, "names": "、".join(outside)}
            }
        )
    with transaction.atomic():
        before = audit.snapshot(batch)
        batch.name, batch.date, batch.place, batch.region = name, date, place, region
        batch.save()
        audit.record_update(actor=actor, instance=batch, before=before)
    return batch


def _refusal(batch: GroundbreakingBatch, plan: AnnualPlan, taken: dict[int, str]) -> str | None:
    """Why the entry cannot join the batch, or None."""
    names = {"project": plan.project.name, "batch": batch.name}
    if plan.nature != AnnualPlanNature.NEW_START:
        return (
            _("“%(project)s” is not a new start this year; only new starts join a batch.") % names
        )
    if plan.year != batch.year:
        return _("“%(project)s”: its plan entry is of %(entry)s, the batch of %(year)s.") % {
            **names,
            "entry": plan.year,
            "year": batch.year,
        }
    if not plan.project.region.path.startswith(batch.region.path):
        return _("“%(project)s” lies outside %(region)s, the batch's region.") % {
            **names,
            "region": batch.region.name,
        }
    if plan.pk in taken:
        return _("“%(project)s” is already in the batch “%(other)s”.") % {
            **names,
            "other": taken[plan.pk],
        }
    return None


def add_entries(
    *, actor: Actor, batch: GroundbreakingBatch, plans: Sequence[AnnualPlan]
) -> list[BatchEntry]:
    """Put the plan entries in the batch, all or none: each a new start of the batch's year
    in its region and in no batch yet."""
    _require_editor(actor, batch)
    if not plans:
        raise ValidationError(_("Tick the projects to put in the batch."))
    taken = dict(
        BatchEntry.objects.filter(annual_plan__in=plans).values_list("annual_plan", "batch__name")
    )
    refusals = [reason for plan in plans if (reason := _refusal(batch, plan, taken))]
    if refusals:
        raise ValidationError(refusals)
    with transaction.atomic():
        entries = []
        for plan in plans:
            entry = BatchEntry.objects.create(batch=batch, annual_plan=plan)
            audit.record_create(actor=actor, instance=entry, parent=batch)
            entries.append(entry)
    return entries


def remove_entry(*, actor: Actor, batch: GroundbreakingBatch, plan: AnnualPlan) -> None:
    """Take the plan entry out of the batch."""
    _require_editor(actor, batch)
    entry = BatchEntry.objects.filter(batch=batch, annual_plan=plan).first()
    if entry is None:
        raise ValidationError(
            _("“%(project)s” is not in this batch.") % {"project": plan.project.name}
        )
    with transaction.atomic():
        audit.record_delete(actor=actor, instance=entry, parent=batch)
        entry.delete()


def delete_batch(*, actor: Actor, batch: GroundbreakingBatch) -> None:
    """Delete the batch; its projects leave it (they stay in the library)."""
    _require_editor(actor, batch)
    with transaction.atomic():
        audit.record_delete(actor=actor, instance=batch)
        batch.delete()

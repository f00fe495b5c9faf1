"""The list changes (动态调整) of the demo's running 百日会战 (`load_demo`): two replacements
and one promotion, each proposed with a reason and decided by the city's leader, through
`campaigns.changes` with the clock set to its moment.

A part of the demo (`demo.parts`), after the task forces: those were set up in the spring,
on the lists as they stood then. Some days into this year's campaign the city dispatcher
proposes to replace a late new start of the municipal list (市重点项目; 应开未开, so holding
back the start-rate target; one still not started on the demo's date first) with the
readiest candidate `campaigns.candidates` offers, and the leader approves it a day or two
later. Later the district's dispatcher proposes a replacement within the district (a late
start, or in a small demo without one a slow entry), which the leader refuses with a note;
later still the city dispatcher proposes to promote the largest municipal key project under
construction onto the provincial list (省重点项目), and the leader approves it. The entries
are chosen by order, so the same demo makes the same changes; a change a small demo has no
entries for, or one that would be decided on the demo's date or later, is left out. The
campaign's days recorded from the first approval on are recorded again: they read the
lists as changed.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts.models import User
from tiaodu.campaigns import candidates, changes
from tiaodu.campaigns.attainment import campaign_plans
from tiaodu.campaigns.choices import ChangeAction, ChangeStatus
from tiaodu.campaigns.models import Campaign, ListChange
from tiaodu.core import clock
from tiaodu.core.workdays import add_working_days
from tiaodu.demo import campaigns as demo_campaigns
from tiaodu.demo.library.spec import DemoSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.demo.problems.days import office_time
from tiaodu.projects import figure_conditions as conditions
from tiaodu.projects import lists as key_lists
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.projects.models import AnnualPlan, KeyProjectList

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded

NAME = "list_changes"
MUNICIPAL, PROVINCIAL = "市重点项目", "省重点项目"
# When each change is proposed, as a share of the campaign's days gone by; each is decided
# one or two working days later. A campaign younger than MIN_DAYS gets no changes.
REPLACED_AT, REFUSED_AT, PROMOTED_AT = 0.2, 0.45, 0.7
MIN_DAYS = 20
OBSTACLES = ("项目用地报批尚未完成", "企业融资方案尚未落实", "规划设计方案仍在调整")
APPROVAL_NOTE = "同意调整。请属地督促原项目加快前期工作，条件成熟后重新申报。"
REFUSAL_NOTES = {
    False: "该项目土地手续已于本周取得，暂不调整，限期开工。",
    True: "该项目已增加施工作业面，投资进度正在回升，暂不调整，限期赶上序时进度。",
}
PROMOTION_NOTE = "同意调入省重点项目，按省重点项目要求调度。"


@dataclass(frozen=True)
class Moment:
    """The days of one change: proposed, then decided."""

    proposed: dt.date
    decided: dt.date


@dataclass(frozen=True)
class Replacement:
    """An entry to take off the municipal list, the readiest candidate for its place, and
    whether the entry is under way already (slow, rather than late to start)."""

    outgoing: AnnualPlan
    incoming: candidates.Readiness
    under_way: bool


def moment(rng: random.Random, campaign: Campaign, as_of: dt.date, share: float) -> Moment:
    """A working day `share` of the way through the campaign's days gone by, and a decision
    one or two working days after it."""
    gone = (min(as_of, campaign.end) - campaign.start).days
    proposed = add_working_days(campaign.start + dt.timedelta(days=int(gone * share)), 0)
    return Moment(proposed, add_working_days(proposed, rng.randint(1, 2)))


def _on(key_list: KeyProjectList, day: dt.date) -> QuerySet[AnnualPlan]:
    return AnnualPlan.objects.filter(pk__in=key_lists.plan_ids_on(day, [key_list.pk]))


@dataclass(frozen=True)
class Scene:
    """The campaign and its two lists, read on a day, within a region ("" the city's)."""

    campaign: Campaign
    municipal: KeyProjectList
    provincial: KeyProjectList

    def municipal_only(self, day: dt.date, region_path: str = "") -> QuerySet[AnnualPlan]:
        """The campaign's entries on the municipal list and not on the provincial one on
        `day` (taken off the municipal list, such an entry leaves the campaign)."""
        return (
            campaign_plans(self.campaign, day)
            .filter(pk__in=_on(self.municipal, day).values("pk"))
            .exclude(pk__in=_on(self.provincial, day).values("pk"))
            .filter(project__region__path__startswith=region_path)
            .select_related("project__region")
        )

    def late_starts(
        self, day: dt.date, as_of: dt.date, region_path: str = "", *, starting_soon: bool
    ) -> list[AnnualPlan]:
        """The new starts that should have started by `day` (应开未开), the earliest planned
        first; first those still not started by the demo's date, or with `starting_soon`
        those that started by then (a refusal the weeks after proved right)."""
        plans = list(
            self.municipal_only(day, region_path)
            .filter(conditions.should_start(day))
            .order_by(F("planned_start").asc(nulls_last=True), "project__name", "pk")
        )

        def started_later(plan: AnnualPlan) -> bool:
            start = plan.project.actual_start
            return start is not None and start <= as_of

        return sorted(plans, key=lambda plan: started_later(plan) != starting_soon)

    def slow(self, day: dt.date, region_path: str = "") -> list[AnnualPlan]:
        """The entries under way whose investment lags time progress (DOMAIN.md §4), the
        slowest first."""
        plans = (
            self.municipal_only(day, region_path)
            .filter(conditions.lagging(day))
            .annotate(ytd=conditions.ytd_completed(day))
            .order_by("project__name", "pk")
        )

        def share(plan: AnnualPlan) -> Decimal:
            ytd: Decimal = getattr(plan, "ytd", Decimal(0))
            return ytd / plan.planned_investment

        return sorted(plans, key=share)

    def largest_under_way(self, day: dt.date, taken: set[int]) -> AnnualPlan | None:
        """The largest municipal key project under construction on `day` (the province adds
        the big ones that are going well), none of those changed already."""
        return (
            self.municipal_only(day)
            .exclude(nature=AnnualPlanNature.RESERVE)
            .filter(conditions.started(day))
            .exclude(conditions.completed_by(day))
            .exclude(pk__in=taken)
            .order_by("-project__total_investment", "project__name", "pk")
            .first()
        )


def replacement(
    actor: User, choices: list[tuple[AnnualPlan, bool]], key_list: KeyProjectList
) -> Replacement | None:
    """The first entry (with whether it is under way) that the actor has a candidate for,
    with the readiest one."""
    for outgoing, under_way in choices:
        offered = candidates.candidates(actor, outgoing, key_list, limit=1)
        if offered:
            return Replacement(outgoing, offered[0], under_way)
    return None


def _month(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月" if day else "年内"


def _ready(readiness: candidates.Readiness, day: dt.date) -> str:
    start = readiness.plan.project.actual_start
    if start is not None and start <= day:
        return "已开工建设"
    if readiness.procedures_needed and readiness.procedures_done == readiness.procedures_needed:
        return "前期手续已全部办结"
    return "前期工作较为成熟"


def city_reason(rng: random.Random, found: Replacement, day: dt.date) -> str:
    outgoing, incoming = found.outgoing, found.incoming.plan
    return (
        f"{outgoing.project.name}原计划{_month(outgoing.planned_start)}开工，"
        f"因{rng.choice(OBSTACLES)}至今未开工，影响百日会战开工率目标。"
        f"拟调出{MUNICIPAL}名单，以投资规模相当、{_ready(found.incoming, day)}的"
        f"{incoming.project.name}替补。"
    )


def district_reason(found: Replacement) -> str:
    outgoing, incoming = found.outgoing.project.name, found.incoming.plan.project.name
    if found.under_way:
        return f"{outgoing}投资完成进度明显滞后于序时进度，拟以本区{incoming}替换。"
    return f"{outgoing}项目用地手续仍在办理，近期难以开工，拟以本区{incoming}替换。"


def promotion_reason(plan: AnnualPlan, year: int) -> str:
    return (
        f"{plan.project.name}已列入山东省{year}年省重点项目名单（第二批），"
        f"拟由{MUNICIPAL}调整为{PROVINCIAL}，按省重点项目要求调度。"
    )


@dataclass(frozen=True)
class Stage:
    """What every change of the part works with."""

    scene: Scene
    rng: random.Random
    as_of: dt.date
    dispatcher: User
    district: User
    leader: User

    def decide(self, change: ListChange, day: dt.date, action: str, note: str) -> ListChange:
        with clock.frozen(office_time(self.rng, day)):
            return changes.decide(actor=self.leader, change=change, action=action, note=note)

    def replace(self, actor: User, found: Replacement, day: dt.date, reason: str) -> ListChange:
        with clock.frozen(office_time(self.rng, day)):
            return changes.propose_replacement(
                actor=actor,
                outgoing=found.outgoing,
                key_list=self.scene.municipal,
                incoming=found.incoming.plan,
                reason=reason,
                campaign=self.scene.campaign,
            )


def approved_replacement(stage: Stage, when: Moment) -> ListChange | None:
    """The city dispatcher's replacement of a late start, approved."""
    late = stage.scene.late_starts(when.proposed, stage.as_of, starting_soon=False)
    found = replacement(stage.dispatcher, [(plan, False) for plan in late], stage.scene.municipal)
    if found is None:
        return None
    reason = city_reason(stage.rng, found, when.proposed)
    change = stage.replace(stage.dispatcher, found, when.proposed, reason)
    return stage.decide(change, when.decided, ChangeAction.APPROVE, APPROVAL_NOTE)


def refused_replacement(stage: Stage, when: Moment, taken: set[int]) -> ListChange | None:
    """The district dispatcher's replacement within its district, refused: of a late start
    (one that started by the demo's date first), or else of a slow entry."""
    path = stage.district.scope_grants()[0].unit_path
    late = stage.scene.late_starts(when.proposed, stage.as_of, path, starting_soon=True)
    slow = stage.scene.slow(when.proposed, path)
    choices = [(plan, False) for plan in late] + [(plan, True) for plan in slow]
    choices = [(plan, under_way) for plan, under_way in choices if plan.pk not in taken]
    found = replacement(stage.district, choices, stage.scene.municipal)
    if found is None:
        return None
    change = stage.replace(stage.district, found, when.proposed, district_reason(found))
    return stage.decide(change, when.decided, ChangeAction.REFUSE, REFUSAL_NOTES[found.under_way])


def promotion(stage: Stage, when: Moment, taken: set[int], year: int) -> ListChange | None:
    """The city dispatcher's promotion of a large municipal key project, approved."""
    promoted = stage.scene.largest_under_way(when.proposed, taken)
    if promoted is None:
        return None
    with clock.frozen(office_time(stage.rng, when.proposed)):
        change = changes.propose_promotion(
            actor=stage.dispatcher,
            outgoing=promoted,
            key_list=stage.scene.municipal,
            to_list=stage.scene.provincial,
            reason=promotion_reason(promoted, year),
            campaign=stage.scene.campaign,
        )
    return stage.decide(change, when.decided, ChangeAction.APPROVE, PROMOTION_NOTE)


def _entries(made: list[ListChange]) -> set[int]:
    return {plan.pk for change in made for plan in (change.outgoing, change.incoming) if plan}


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    campaign = Campaign.objects.filter(year=spec.year, start__lte=spec.as_of).first()
    lists = {item.name: item for item in KeyProjectList.objects.filter(year=spec.year)}
    if campaign is None or MUNICIPAL not in lists or PROVINCIAL not in lists:
        return []
    if (min(spec.as_of, campaign.end) - campaign.start).days < MIN_DAYS:
        return []
    users = loaded.users
    stage = Stage(
        scene=Scene(campaign, lists[MUNICIPAL], lists[PROVINCIAL]),
        rng=random.Random(f"{spec.seed}:{NAME}"),
        as_of=spec.as_of,
        dispatcher=users["dispatcher"],
        district=users["district"],
        leader=users["leader"],
    )
    made: list[ListChange] = []
    steps = (
        (REPLACED_AT, lambda when: approved_replacement(stage, when)),
        (REFUSED_AT, lambda when: refused_replacement(stage, when, _entries(made))),
        (PROMOTED_AT, lambda when: promotion(stage, when, _entries(made), spec.year)),
    )
    for share, step in steps:
        when = moment(stage.rng, campaign, spec.as_of, share)
        if when.decided >= spec.as_of:
            continue  # decided on the demo's date or later: not yet
        change = step(when)
        if change is not None:
            made.append(change)
    effective = [change.effective for change in made if change.effective is not None]
    if effective:
        demo_campaigns.record_again(campaign, since=min(effective))
    return [summary(campaign, made)] if made else []


def summary(campaign: Campaign, made: list[ListChange]) -> str:
    """The changes in one line: what each did, its decision and the day of it."""
    parts = []
    for change in made:
        values = {
            "change": changes.summary(change),
            "day": timezone.localdate(change.decided_at).isoformat() if change.decided_at else "",
        }
        if change.status == ChangeStatus.APPROVED:
            parts.append(_("%(change)s, approved on %(day)s") % values)
        else:
            parts.append(_("%(change)s, refused on %(day)s") % values)
    return _("List changes in %(campaign)s: %(changes)s") % {
        "campaign": campaign.name,
        "changes": "；".join(parts),
    }


PART = DemoPart(NAME, load)

"""Scoped reads of the financing-needs lists (architecture rule 2).

- A region's dispatchers and leaders see every edition of its lists, drafts included, with
  all their needs (`core.scoping.restrict` on the list's region).
- A financial institution sees the published editions only, with all their needs, and of
  the answers only its own.
- A project's own people (its owner unit's reporter, its service officer…) see the
  published and closed editions that carry their projects, and on them only their
  projects' needs and the answers to those. While an edition of a region covering one of
  its projects is a draft, an owner unit's reporter opens it too, to propose its needs
  (`proposals`), and sees its own proposals.

Anything else answers 404.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, covers, grant_paths, restrict
from tiaodu.financing.choices import FinancingListStatus
from tiaodu.financing.models import FinancingAnswer, FinancingList, FinancingNeed, NeedProposal
from tiaodu.financing.permissions import compiles, is_institution
from tiaodu.projects.models import Project

ZERO = Decimal("0.00")


def lists_visible_to(actor: Someone) -> QuerySet[FinancingList]:
    """The editions the actor may open (see the module's docstring)."""
    condition = Q(pk__in=restrict(FinancingList.objects.all(), actor).values("pk"))
    if is_institution(actor):
        condition |= Q(status=FinancingListStatus.PUBLISHED)
    own_needs = restrict(FinancingNeed.objects.all(), actor)
    condition |= Q(pk__in=own_needs.values("financing_list")) & ~Q(status=FinancingListStatus.DRAFT)
    condition |= Q(pk__in=drafts_open_to_proposals(actor))
    return FinancingList.objects.filter(condition).select_related("region", "compiled_by")


def drafts_open_to_proposals(actor: Someone) -> list[int]:
    """The draft editions an owner unit's reporter may propose needs for: those whose
    region covers one of its own projects' regions (few drafts exist at a time)."""
    paths = grant_paths(actor, Role.REPORTER)
    if not paths:
        return []
    owned = Q(pk__in=[])
    for path in paths:
        owned |= Q(owner_unit__path__startswith=path)
    regions = set(Project.objects.filter(owned).values_list("region__path", flat=True))
    drafts = FinancingList.objects.filter(status=FinancingListStatus.DRAFT).values_list(
        "pk", "region__path"
    )
    return [pk for pk, path in drafts if any(covers([path], region) for region in regions)]


def proposals_on(actor: Someone, financing_list: FinancingList) -> QuerySet[NeedProposal]:
    """The proposals of an edition the actor reads: all for its dispatchers, an owner
    unit's own for its reporter."""
    proposals = NeedProposal.objects.filter(financing_list=financing_list).select_related(
        "project__region", "project__owner_unit", "need"
    )
    if compiles(actor, financing_list):
        return proposals.order_by("status", "pk")
    return restrict(proposals, actor).order_by("pk")


def list_for(actor: Someone, pk: int) -> FinancingList:
    """One edition the actor may open; 404 otherwise."""
    return get_object_or_404(lists_visible_to(actor), pk=pk)


def sees_every_need(actor: Someone, financing_list: FinancingList) -> bool:
    """Whether the actor reads every need of the edition (its region's people, or an
    institution on a published edition) rather than its own projects' only."""
    if is_institution(actor) and financing_list.status == FinancingListStatus.PUBLISHED:
        return True
    return restrict(FinancingList.objects.filter(pk=financing_list.pk), actor).exists()


def _needs(actor: Someone, financing_list: FinancingList, every: bool) -> QuerySet[FinancingNeed]:
    needs = (
        FinancingNeed.objects.filter(financing_list=financing_list)
        .select_related("project__region", "project__owner_unit")
        .annotate(answer_count=Count("answers"), answered=Sum("answers__amount"))
        .order_by("pk")
    )
    return needs if every else restrict(needs, actor)


def needs_of(actor: Someone, financing_list: FinancingList) -> QuerySet[FinancingNeed]:
    """The needs of an edition the actor reads, each with how many answers it received
    and their amount together (whoever gave them: an institution sees that a need was
    answered, not by whom)."""
    return _needs(actor, financing_list, sees_every_need(actor, financing_list))


def need_for(actor: Someone, financing_list: FinancingList, pk: int) -> FinancingNeed:
    """One need of an edition the actor reads; 404 otherwise."""
    return get_object_or_404(needs_of(actor, financing_list), pk=pk)


def answers_visible_to(actor: Someone) -> QuerySet[FinancingAnswer]:
    """The answers the actor reads: an institution its own, the others those to the needs
    of projects in their scope."""
    condition = Q(pk__in=restrict(FinancingAnswer.objects.all(), actor).values("pk"))
    if is_institution(actor) and actor is not None:
        condition |= Q(answered_by_id=actor.pk)
    return (
        FinancingAnswer.objects.filter(condition)
        .select_related("need__project", "need__financing_list")
        .order_by("need__project__name", "created_at", "pk")
    )


def answers_on(actor: Someone, financing_list: FinancingList) -> dict[int, list[FinancingAnswer]]:
    """The answers the actor reads on an edition, by need."""
    found: dict[int, list[FinancingAnswer]] = {}
    for answer in answers_visible_to(actor).filter(need__financing_list=financing_list):
        found.setdefault(answer.need_id, []).append(answer)
    return found


def previous_edition(financing_list: FinancingList) -> FinancingList | None:
    """The region's edition published before this one (drafts never count)."""
    earlier = Q(year__lt=financing_list.year) | Q(
        year=financing_list.year, number__lt=financing_list.number
    )
    return (
        FinancingList.objects.filter(earlier, region_id=financing_list.region_id)
        .exclude(status=FinancingListStatus.DRAFT)
        .select_related("region")
        .order_by("-year", "-number")
        .first()
    )


@dataclass
class Group:
    """Needs of one kind of change, with their amount needed together."""

    needs: list[FinancingNeed] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.needs)

    @property
    def amount(self) -> Decimal:
        return sum((need.amount for need in self.needs), ZERO)


@dataclass
class Comparison:
    """An edition against the one before it, need by need (a project and a kind of
    financing): the earlier needs that were met (answered by at least one institution),
    those dropped unanswered, those carried over unanswered, and the needs added."""

    previous: FinancingList | None
    met: Group = field(default_factory=Group)
    dropped: Group = field(default_factory=Group)
    carried: Group = field(default_factory=Group)
    added: Group = field(default_factory=Group)


def comparison(actor: Someone, financing_list: FinancingList) -> Comparison:
    """What changed since the previous edition, over the needs the actor reads."""
    previous = previous_edition(financing_list)
    found = Comparison(previous=previous)
    every = sees_every_need(actor, financing_list)
    current = list(_needs(actor, financing_list, every))
    now = {(need.project_id, need.kind) for need in current}
    before: set[tuple[int, str]] = set()
    if previous is not None:
        for need in _needs(actor, previous, every):
            before.add((need.project_id, need.kind))
            if need.answer_count:  # type: ignore[attr-defined]
                found.met.needs.append(need)
            elif (need.project_id, need.kind) in now:
                found.carried.needs.append(need)
            else:
                found.dropped.needs.append(need)
    found.added.needs = [need for need in current if (need.project_id, need.kind) not in before]
    return found

"""Key-project lists as they stood on a day (DOMAIN.md §8).

A plan entry is on a list from a membership's `start` until its `end` (the first day it is
no longer on; None while it is). Everything that counts by list — the figure set, cards,
campaigns, the reporting cycles, the ledger — reads the memberships that stood on its date
(`ListMembership.objects.on(day)`, `plan_ids_on`), so a change today leaves the figures of
earlier days as they were. Pages that show "the lists an entry is on" show its open
memberships (`AnnualPlan.current_lists`, prefetched by `with_current_lists`).

The writes here take a day and touch nothing else: the services (the plan form, the ledger
import, a replacement) check, lock and audit.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from tiaodu.projects.models import AnnualPlan, KeyProjectList, ListMembership


def first_day(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def day_within(year: int, day: dt.date) -> dt.date:
    """`day`, moved into `year`: a list of another year is read as it stood at that year's
    nearer end (a change made in December to next year's list takes effect on 1 January)."""
    return min(max(day, first_day(year)), dt.date(year, 12, 31))


def plan_ids_on(day: dt.date, list_ids: Iterable[int] | None = None) -> QuerySet[Any]:
    """The ids of the plan entries on any of the lists (any list when None) on `day`, as a
    subquery for `annual_plan_id__in` / `pk__in`."""
    memberships = ListMembership.objects.on(day)
    if list_ids is not None:
        memberships = memberships.filter(key_project_list_id__in=list(list_ids))
    return memberships.values("annual_plan_id")


def lists_on(plan_ids: Iterable[int], day: dt.date) -> dict[int, list[KeyProjectList]]:
    """Each entry's lists on `day`, by name; entries on none are absent."""
    found: dict[int, list[KeyProjectList]] = defaultdict(list)
    memberships = (
        ListMembership.objects.on(day)
        .filter(annual_plan_id__in=list(plan_ids))
        .select_related("key_project_list")
        .order_by("key_project_list__name")
    )
    for membership in memberships:
        found[membership.annual_plan_id].append(membership.key_project_list)
    return dict(found)


def with_current_lists(plans: QuerySet[AnnualPlan]) -> QuerySet[AnnualPlan]:
    """The entries with their open memberships prefetched, for `current_lists` (once: a
    queryset that has them already is returned as it is)."""
    if any(
        getattr(lookup, "to_attr", None) == "open_memberships"
        for lookup in plans._prefetch_related_lookups  # type: ignore[attr-defined]
    ):
        return plans
    return plans.prefetch_related(
        Prefetch(
            "memberships",
            queryset=ListMembership.objects.filter(end__isnull=True).select_related(
                "key_project_list"
            ),
            to_attr="open_memberships",
        )
    )


def _same_year(plan: AnnualPlan, key_list: KeyProjectList) -> None:
    if key_list.year != plan.year:
        raise ValidationError(
            {
                "lists": _("List “%(name)s” belongs to %(year)s, not to %(plan_year)s.")
                % {"name": key_list.name, "year": key_list.year, "plan_year": plan.year}
            }
        )


def open_membership(plan: AnnualPlan, key_list: KeyProjectList) -> ListMembership | None:
    return ListMembership.objects.filter(
        annual_plan=plan, key_project_list=key_list, end__isnull=True
    ).first()


def put_on(plan: AnnualPlan, key_list: KeyProjectList, day: dt.date) -> ListMembership:
    """Put the entry on the list from `day` (moved into the list's year)."""
    _same_year(plan, key_list)
    if open_membership(plan, key_list) is not None:
        raise ValidationError(
            _("%(project)s is already on “%(list)s”.")
            % {"project": plan.project.name, "list": key_list.name}
        )
    return ListMembership.objects.create(
        annual_plan=plan, key_project_list=key_list, start=day_within(key_list.year, day)
    )


def take_off(plan: AnnualPlan, key_list: KeyProjectList, day: dt.date) -> ListMembership | None:
    """Take the entry off the list from `day`: its membership ends then. A membership that
    began that day is removed (it never stood a whole day); None then."""
    membership = open_membership(plan, key_list)
    if membership is None:
        raise ValidationError(
            _("%(project)s is not on “%(list)s”.")
            % {"project": plan.project.name, "list": key_list.name}
        )
    end = day_within(key_list.year, day)
    if end <= membership.start:
        membership.delete()
        return None
    membership.end = end
    membership.save(update_fields=["end"])
    return membership


def set_lists(plan: AnnualPlan, lists: Iterable[KeyProjectList], day: dt.date) -> bool:
    """Make the entry's open memberships exactly `lists`, from `day`; whether any changed."""
    wanted = {item.pk: item for item in lists}
    for item in wanted.values():
        _same_year(plan, item)
    current = {
        membership.key_project_list_id: membership.key_project_list
        for membership in ListMembership.objects.filter(
            annual_plan=plan, end__isnull=True
        ).select_related("key_project_list")
    }
    for pk in sorted(current.keys() - wanted.keys()):
        take_off(plan, current[pk], day)
    for pk in sorted(wanted.keys() - current.keys()):
        put_on(plan, wanted[pk], day)
    return current.keys() != wanted.keys()

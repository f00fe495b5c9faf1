"""Plan entries (annual plan figures) and key-project lists (名单) over the API, under
`/api/v1/projects` (docs/api.md): the library's list of entries with its filters, a
project's entries, a new entry or a change to one, the lists of a year, and putting an
entry on a list or taking it off, all through `projects.services` as the plan page does.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock, idempotency
from tiaodu.core.api_support import REFUSALS, CursorPages, Refusal, query_data, refused_as
from tiaodu.core.bounds import year_in_bounds, year_message
from tiaodu.core.scoping import Actor
from tiaodu.projects import lists as key_lists
from tiaodu.projects import selectors, services
from tiaodu.projects.api import (
    LibraryFilters,
    PlanIn,
    business_reader,
    library_plans,
    plan_fields,
    plan_form,
    refuse_unless,
    visible_project,
)
from tiaodu.projects.models import AnnualPlan, KeyProjectList
from tiaodu.projects.permissions import can_edit_project

router = Router(tags=["plans and lists"])


class ListOut(Schema):
    id: int
    name: str
    year: int
    description: str


class PlanOut(Schema):
    """A plan entry: the year's plan figures in 万元 (strings with two places), the
    year-to-date completed investment as last stated and its date, and the lists it is on
    now."""

    id: int
    project_id: int
    project_name: str
    year: int
    nature: str
    level: str
    reserve_stage: str
    planned_investment: str
    planned_start: dt.date | None
    planned_completion: dt.date | None
    planned_production: dt.date | None
    ytd_completed: str | None
    ytd_as_of: dt.date | None
    bond_funds: str
    bond_funds_spent: str | None
    lists: list[ListOut]


class MemberIn(Schema):
    plan_id: int


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _list(item: KeyProjectList) -> dict[str, Any]:
    return {"id": item.pk, "name": item.name, "year": item.year, "description": item.description}


def plan_out(plan: AnnualPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "project_id": plan.project_id,
        "project_name": plan.project.name,
        "year": plan.year,
        "nature": plan.nature,
        "level": plan.level,
        "reserve_stage": plan.reserve_stage,
        "planned_investment": _money(plan.planned_investment),
        "planned_start": plan.planned_start,
        "planned_completion": plan.planned_completion,
        "planned_production": plan.planned_production,
        "ytd_completed": _money(plan.ytd_completed),
        "ytd_as_of": plan.ytd_as_of,
        "bond_funds": _money(plan.bond_funds),
        "bond_funds_spent": _money(plan.bond_funds_spent),
        "lists": [_list(item) for item in plan.current_lists],
    }


class PlanPages(CursorPages):
    """Cursor pages of plan entries, each written as `plan_out` after the page is cut."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: Any, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        return page | {"items": [plan_out(plan) for plan in page["items"]]}


@router.get("/plans", response=list[PlanOut], url_name="plans")
@paginate(PlanPages, ordering=("-project__total_investment", "project_id"))
def list_plans(  # type: ignore[no-untyped-def]
    request: SignedInRequest,
    filters: Query[LibraryFilters],  # type: ignore[valid-type]
):
    """The library: the plan entries of a year (`year`, else the library's year) in the
    caller's scope that pass the library's filters, largest project first."""
    plans, _year = library_plans(request.user, query_data(filters))
    return key_lists.with_current_lists(plans.select_related("project"))


@router.get(
    "/{project_id}/plans", response={200: list[PlanOut], **REFUSALS}, url_name="project_plans"
)
def project_plans(request: SignedInRequest, project_id: int) -> list[dict[str, Any]]:
    """The project's plan entries, newest year first."""
    project = visible_project(request.user, project_id)
    plans = key_lists.with_current_lists(selectors.project_plans(project).select_related("project"))
    return [plan_out(plan) for plan in plans]


def _editable_project(actor: Actor, project_id: int) -> Any:
    project = visible_project(actor, project_id)
    refuse_unless(can_edit_project(actor, project))
    return project


@router.post(
    "/{project_id}/plans", response={201: PlanOut, **REFUSALS}, url_name="project_plan_create"
)
def create_plan(request: SignedInRequest, project_id: int, payload: PlanIn) -> Status[Any]:
    """Add the project's plan entry for a year (this year unless `year` says), with its
    lists; 422 when the project has one for that year. With an `Idempotency-Key`, a repeat
    answers the first 201 again."""
    actor = request.user
    project = _editable_project(actor, project_id)
    sent = payload.model_dump(exclude_unset=True)

    def create() -> Status[Any]:
        form = plan_form(sent, None, sent.get("year") or clock.today().year)
        with refused_as():
            plan = services.save_annual_plan(
                actor=actor,
                project=project,
                year=form.cleaned_data["year"],
                lists=list(form.cleaned_data["lists"]),
                new_entry=True,
                **plan_fields(form),
            )
        body = PlanOut.model_validate(plan_out(plan)).model_dump(mode="json")
        return Status(201, body)

    return idempotency.api_once(request, "api.projects.plan", create)


@router.patch(
    "/{project_id}/plans/{year}", response={200: PlanOut, **REFUSALS}, url_name="project_plan"
)
def update_plan(
    request: SignedInRequest, project_id: int, year: int, payload: PlanIn
) -> dict[str, Any]:
    """Change the fields sent of the project's entry for `year` (its year stays); `lists`
    makes the entry's lists exactly those, from today."""
    actor = request.user
    project = _editable_project(actor, project_id)
    plan = selectors.project_plan(project, year) if year_in_bounds(year) else None
    if plan is None:
        raise Refusal(404, [_("This project has no plan entry for that year.")])
    sent = payload.model_dump(exclude_unset=True, exclude={"year"})
    form = plan_form(sent, plan, plan.year)
    with refused_as():
        services.save_annual_plan(
            actor=actor,
            project=project,
            year=plan.year,
            lists=list(form.cleaned_data["lists"]) if "lists" in sent else None,
            **plan_fields(form, sent),
        )
    return plan_out(selectors.project_plan(project, year))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- lists


@router.get("/lists", response=list[ListOut], url_name="key_lists")
@paginate(CursorPages, ordering=("-year", "name"))
def list_key_lists(request: SignedInRequest, year: int | None = None):  # type: ignore[no-untyped-def]
    """The key-project lists (名单), newest year first; `year` keeps one year's."""
    business_reader(request.user)
    if year is not None and not year_in_bounds(year):
        raise Refusal(422, [year_message()], {"year": [year_message()]})
    return selectors.key_project_lists(year)


def _key_list(actor: Actor, list_id: int) -> KeyProjectList:
    business_reader(actor)
    with refused_as():
        return get_object_or_404(KeyProjectList, pk=list_id)


@router.get(
    "/lists/{list_id}/members",
    response={200: list[PlanOut], **REFUSALS},
    url_name="key_list_members",
)
@paginate(PlanPages, ordering=("-project__total_investment", "project_id"))
def list_members(request: SignedInRequest, list_id: int, as_of: dt.date | None = None):  # type: ignore[no-untyped-def]
    """The entries on the list on `as_of` (today unless given) that the caller may see."""
    actor = request.user
    key_list = _key_list(actor, list_id)
    day = key_lists.day_within(key_list.year, as_of or clock.today())
    plans = selectors.plans_visible_to(actor).filter(
        year=key_list.year, pk__in=key_lists.plan_ids_on(day, [key_list.pk])
    )
    return key_lists.with_current_lists(plans.select_related("project"))


def _plan_to_change(actor: Actor, plan_id: int) -> AnnualPlan:
    """A plan entry the actor sees (404 otherwise) and may change (403 otherwise)."""
    business_reader(actor)
    with refused_as():
        plan = get_object_or_404(
            selectors.plans_visible_to(actor).select_related("project"), pk=plan_id
        )
    _editable_project(actor, plan.project_id)
    return plan


def _set_lists(actor: Actor, plan: AnnualPlan, lists: list[KeyProjectList]) -> dict[str, Any]:
    with refused_as():
        services.save_annual_plan(actor=actor, project=plan.project, year=plan.year, lists=lists)
    changed = selectors.project_plan(plan.project, plan.year)
    return plan_out(changed)  # type: ignore[arg-type]


@router.post(
    "/lists/{list_id}/members",
    response={200: PlanOut, **REFUSALS},
    url_name="key_list_member_add",
)
def add_member(request: SignedInRequest, list_id: int, payload: MemberIn) -> dict[str, Any]:
    """Put a plan entry on the list from today (as the plan page's list boxes do); 422 when
    the list is of another year. An entry on the list already stays as it is: the answer is
    the entry with its lists either way."""
    actor = request.user
    key_list = _key_list(actor, list_id)
    plan = _plan_to_change(actor, payload.plan_id)
    current = plan.current_lists
    if any(item.pk == key_list.pk for item in current):
        return plan_out(plan)
    return _set_lists(actor, plan, [*current, key_list])


@router.delete(
    "/lists/{list_id}/members/{plan_id}",
    response={200: PlanOut, **REFUSALS},
    url_name="key_list_member_remove",
)
def remove_member(request: SignedInRequest, list_id: int, plan_id: int) -> dict[str, Any]:
    """Take a plan entry off the list from today; 404 when it is not on it."""
    actor = request.user
    key_list = _key_list(actor, list_id)
    plan = _plan_to_change(actor, plan_id)
    current = plan.current_lists
    if not any(item.pk == key_list.pk for item in current):
        raise Refusal(404, [_("This plan entry is not on that list.")])
    return _set_lists(actor, plan, [item for item in current if item.pk != key_list.pk])

"""The project library over the API, `/api/v1/projects` (docs/api.md): projects, their
people and their procedures, with the same selectors, forms, services and refusals as the
pages. Plan entries and lists: `projects.plan_api`, mounted on the same router.

A project outside the caller's scope answers 404; one the caller sees but may not change,
403 with the service's message; a body the page's form refuses, 422 naming its fields.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock, idempotency
from tiaodu.core.api_support import (
    REFUSALS,
    CursorPages,
    Refusal,
    filter_query,
    filtered,
    form_refusal,
    query_data,
    refused_as,
)
from tiaodu.core.bounds import year_in_bounds, year_message
from tiaodu.core.error_messages import not_found_message
from tiaodu.core.scoping import Actor
from tiaodu.projects import selectors, services
from tiaodu.projects.choices import ProcedureKind, ProcedureStatus
from tiaodu.projects.filters import AnnualPlanFilterSet
from tiaodu.projects.forms import AnnualPlanForm, ProcedureForm, ProjectForm
from tiaodu.projects.models import AnnualPlan, Project
from tiaodu.projects.permissions import (
    can_create_project,
    can_edit_project,
    reads_business_data,
)

router = Router(tags=["projects"])

# The library page's filters (`AnnualPlanFilterSet`), by the same names.
LibraryFilters = filter_query(AnnualPlanFilterSet, "LibraryFilters")


# ---------------------------------------------------------------------------- schemas


class ProjectFields(Schema):
    """A project in a list: amounts in 万元."""

    id: int
    code: str | None
    name: str
    region_code: str | None
    region: str
    category: str
    total_investment: Decimal
    owner_unit: str | None
    actual_start: date | None
    actual_completion: date | None


class ProjectOut(ProjectFields):
    @staticmethod
    def resolve_region_code(obj: object) -> str | None:
        return obj.region.region_code  # type: ignore[attr-defined]

    @staticmethod
    def resolve_region(obj: object) -> str:
        return obj.region.name  # type: ignore[attr-defined]

    @staticmethod
    def resolve_owner_unit(obj: object) -> str | None:
        owner = obj.owner_unit  # type: ignore[attr-defined]
        return owner.name if owner else None


class ProjectDetailOut(ProjectFields):
    """A project with every field the project page shows (units and people by id; their
    names: `/people`), and whether the caller may change it."""

    region_id: int
    industry: str
    funding_type: str
    construction_content: str
    location: str
    longitude: Decimal | None
    latitude: Decimal | None
    owner_unit_id: int | None
    responsible_unit_id: int | None
    responsible_person_id: int | None
    municipal_leader_id: int | None
    sponsoring_leader_id: int | None
    service_officer_id: int | None
    contact_name: str
    contact_phone: str
    actual_production: date | None
    statistics_inclusion: date | None
    remarks: str
    editable: bool


class ProjectIn(Schema):
    """A project's fields, as the project form takes them: units and people by id, amounts
    in 万元 as strings ("12000.00"), dates ISO. On a change, a field left out stays as it
    is and `null` empties it."""

    name: str | None = None
    code: str | None = None
    region: int | None = None
    category: str | None = None
    industry: str | None = None
    funding_type: str | None = None
    total_investment: str | None = None
    construction_content: str | None = None
    location: str | None = None
    longitude: str | None = None
    latitude: str | None = None
    owner_unit: int | None = None
    responsible_unit: int | None = None
    responsible_person: int | None = None
    municipal_leader: int | None = None
    sponsoring_leader: int | None = None
    service_officer: int | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    actual_start: str | None = None
    actual_completion: str | None = None
    actual_production: str | None = None
    statistics_inclusion: str | None = None
    remarks: str | None = None


class PlanIn(Schema):
    """A plan entry's fields, as the plan form takes them; `lists` by id (the year's)."""

    year: int | None = None
    nature: str | None = None
    level: str | None = None
    reserve_stage: str | None = None
    planned_investment: str | None = None
    planned_start: str | None = None
    planned_completion: str | None = None
    planned_production: str | None = None
    bond_funds: str | None = None
    lists: list[int] | None = None


class NewProjectIn(ProjectIn):
    """A new project and its first plan entry (this year's unless `plan.year` says)."""

    plan: PlanIn


class PersonOut(Schema):
    id: int
    name: str
    title: str
    org_unit: str | None


class PeopleOut(Schema):
    """The project's people: its responsible person, the municipal and sponsoring leaders,
    the service officer (null when none)."""

    responsible_person: PersonOut | None
    municipal_leader: PersonOut | None
    sponsoring_leader: PersonOut | None
    service_officer: PersonOut | None


class ProcedureOut(Schema):
    kind: str
    label: str
    status: str
    completed_on: date | None
    document_number: str


class ProcedureIn(Schema):
    kind: str
    status: str
    completed_on: str | None = None
    document_number: str = ""


# ---------------------------------------------------------------------------- reads


def business_reader(actor: Actor) -> None:
    """The library is for the business roles; the administrators and the auditor get 404,
    as on the page."""
    if not reads_business_data(actor):
        raise Refusal(404, [not_found_message()])


def library_plans(actor: Actor, data: dict[str, str]) -> tuple[QuerySet[AnnualPlan], int]:
    """The plan entries of a year (`year`, else the library's default year) that pass the
    library's filters, in the actor's scope: the page's list, as a queryset."""
    business_reader(actor)
    year = selectors.default_year(actor)
    if data.get("year"):
        try:
            year = int(data["year"])
        except ValueError:
            year = 0
        if not year_in_bounds(year):
            raise Refusal(422, [year_message()], {"year": [year_message()]})
    filterset = AnnualPlanFilterSet(
        {**data, "year": str(year)},
        queryset=selectors.plans_visible_to(actor),
        actor=actor,
        year=year,
    )
    return filtered(filterset), year


def visible_project(actor: Actor, project_id: int) -> Project:
    """A project the actor sees; 404 otherwise (administrators: 404 for every project)."""
    business_reader(actor)
    with refused_as():
        return selectors.project_for(actor, project_id)


def _detail(actor: Actor, project: Project) -> dict[str, Any]:
    """The project's fields (`ProjectDetailOut`), with whether the actor may change it."""
    data = {name: getattr(project, name, None) for name in ProjectDetailOut.model_fields}
    owner = project.owner_unit
    return data | {
        "region_code": project.region.region_code,
        "region": project.region.name,
        "owner_unit": owner.name if owner else None,
        "editable": can_edit_project(actor, project),
    }


@router.get("/", response=list[ProjectOut], url_name="projects")
@paginate(CursorPages, ordering=("-total_investment",))
def list_projects(  # type: ignore[no-untyped-def]
    request: SignedInRequest,
    filters: Query[LibraryFilters],  # type: ignore[valid-type]
):
    """The projects the caller may see, largest investment first. With any of the library's
    filters, those whose plan entry of the year (`year`, else the library's year) passes
    them, as the library page lists them."""
    actor = request.user
    business_reader(actor)
    projects = selectors.projects_visible_to(actor)
    data = query_data(filters)
    if data:
        plans, _year = library_plans(actor, data)
        projects = projects.filter(pk__in=plans.values("project_id"))
    return projects.select_related("region", "owner_unit")


@router.get("/{project_id}", response={200: ProjectDetailOut, **REFUSALS}, url_name="project")
def get_project(request: SignedInRequest, project_id: int) -> dict[str, Any]:
    """One project; 404 when it is outside the caller's scope."""
    return _detail(request.user, visible_project(request.user, project_id))


@router.get(
    "/{project_id}/people", response={200: PeopleOut, **REFUSALS}, url_name="project_people"
)
def project_people(request: SignedInRequest, project_id: int) -> dict[str, Any]:
    """The leaders and the service officer assigned to the project, and its responsible
    person (the project page's 人员 tab)."""
    project = visible_project(request.user, project_id)
    people: dict[str, Any] = {}
    for role in PeopleOut.model_fields:
        person = getattr(project, role)
        people[role] = person and {
            "id": person.pk,
            "name": person.name,
            "title": person.title,
            "org_unit": person.org_unit.name if person.org_unit_id else None,
        }
    return people


# ---------------------------------------------------------------------------- writes


def refuse_unless(allowed: bool) -> None:
    """403 with the services' message, before a body is parsed: the form would otherwise
    refuse a region out of the caller's reach (422) where the caller may not write at all.
    The services check the same permission again."""
    if not allowed:
        raise Refusal(403, [_("You may not change this project.")])


def _project_form(actor: Actor, sent: dict[str, Any], project: Project | None) -> ProjectForm:
    """The project page's form over the fields sent (the project's own for the others)."""
    fields = list(ProjectForm.Meta.fields)
    data = model_to_dict(project, fields=fields) if project is not None else {}
    data = {key: "" if value is None else value for key, value in (data | sent).items()}
    form = ProjectForm(data, instance=project, actor=actor)
    if not form.is_valid():
        raise form_refusal(form, None if project is None else sent)
    return form


def plan_form(sent: dict[str, Any], plan: AnnualPlan | None, year: int) -> AnnualPlanForm:
    """The plan page's form over the fields sent (the entry's own for the others)."""
    fields = [*AnnualPlanForm.Meta.fields]
    data: dict[str, Any] = model_to_dict(plan, fields=fields) if plan is not None else {}
    if plan is not None:
        data["lists"] = [item.pk for item in plan.current_lists]
    data = {"year": year} | data | sent
    data = {key: "" if value is None else value for key, value in data.items()}
    form = AnnualPlanForm(data, instance=plan, year=year)
    if not form.is_valid():
        raise form_refusal(form, None if plan is None else sent)
    return form


def plan_fields(form: AnnualPlanForm, sent: dict[str, Any] | None = None) -> dict[str, Any]:
    """The plan form's values for the service, the lists apart (only those `sent`)."""
    return {
        key: value
        for key, value in form.cleaned_data.items()
        if key not in {"lists", "year"} and (sent is None or key in sent)
    }


@router.post("/", response={201: ProjectDetailOut, **REFUSALS}, url_name="project_create")
def create_project(request: SignedInRequest, payload: NewProjectIn) -> Status[Any]:
    """A new project in the caller's region with its first plan entry (as the new-project
    page): 201 with it. With an `Idempotency-Key`, a repeat answers the first 201 again."""
    actor = request.user
    sent = payload.model_dump(exclude_unset=True, exclude={"plan"})
    plan_sent = payload.plan.model_dump(exclude_unset=True)

    refuse_unless(can_create_project(actor))

    def create() -> Status[Any]:
        form = _project_form(actor, sent, None)
        year = plan_sent.get("year") or clock.today().year
        plan_entry = plan_form(plan_sent, None, year)
        with refused_as():
            project = services.create_project(
                actor=actor,
                plan={"year": plan_entry.cleaned_data["year"], **plan_fields(plan_entry)},
                lists=list(plan_entry.cleaned_data["lists"]),
                **form.cleaned_data,
            )
        # Recorded for a repeat of the key: the body as the schema writes it.
        return Status(
            201, ProjectDetailOut.model_validate(_detail(actor, project)).model_dump(mode="json")
        )

    return idempotency.api_once(request, "api.projects.create", create)


@router.patch(
    "/{project_id}", response={200: ProjectDetailOut, **REFUSALS}, url_name="project_update"
)
def update_project(request: SignedInRequest, project_id: int, payload: ProjectIn) -> dict[str, Any]:
    """Change the fields sent, and only those (as the project's edit page)."""
    actor = request.user
    project = visible_project(actor, project_id)
    sent = payload.model_dump(exclude_unset=True)
    refuse_unless(can_edit_project(actor, project))
    form = _project_form(actor, sent, project)
    changes = {name: form.cleaned_data[name] for name in sent}
    with refused_as():
        services.update_project(actor=actor, project=project, **changes)
    return _detail(actor, selectors.project_for(actor, project.pk))


# ---------------------------------------------------------------------------- procedures


def _procedures(project: Project) -> list[dict[str, Any]]:
    existing = {item.kind: item for item in selectors.project_procedures(project)}
    result = []
    for kind, label in ProcedureKind.choices:
        item = existing.get(kind)
        result.append(
            {
                "kind": kind,
                "label": str(label),
                "status": item.status if item else ProcedureStatus.PENDING,
                "completed_on": item.completed_on if item else None,
                "document_number": item.document_number if item else "",
            }
        )
    return result


@router.get(
    "/{project_id}/procedures",
    response={200: list[ProcedureOut], **REFUSALS},
    url_name="project_procedures",
)
def project_procedures(request: SignedInRequest, project_id: int) -> list[dict[str, Any]]:
    """The project's approval procedures (审批手续), every kind of the checklist in order."""
    return _procedures(visible_project(request.user, project_id))


@router.put(
    "/{project_id}/procedures",
    response={200: list[ProcedureOut], **REFUSALS},
    url_name="project_procedures_update",
)
def set_procedures(
    request: SignedInRequest, project_id: int, payload: list[ProcedureIn]
) -> list[dict[str, Any]]:
    """Record the procedures sent (each by its kind), all or none, as the checklist page
    does; the kinds not sent stay as they are."""
    actor = request.user
    project = visible_project(actor, project_id)
    refuse_unless(can_edit_project(actor, project))
    rows: list[dict[str, Any]] = []
    for row in payload:
        # Each row as the checklist page's row form reads it (a row left empty is an error
        # here: the page's rows are all there, a body names only those it changes).
        form = ProcedureForm({key: value or "" for key, value in row.model_dump().items()})
        if not form.is_valid():
            raise form_refusal(form)
        rows.append(form.cleaned_data)
    kinds = [row["kind"] for row in rows]
    if len(set(kinds)) != len(kinds):
        message = _("Send each procedure once.")
        raise Refusal(422, [message], {"kind": [message]})
    with refused_as():
        services.set_procedures(actor=actor, project=project, rows=rows)
    return _procedures(project)

"""The project library over the API: the same selectors, filters and services as the pages
(docs/api.md)."""

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core.api_support import CursorPages, Refusal, filter_query, filtered, query_data
from tiaodu.core.bounds import year_in_bounds, year_message
from tiaodu.core.error_messages import not_found_message
from tiaodu.core.scoping import Actor
from tiaodu.projects import selectors
from tiaodu.projects.filters import AnnualPlanFilterSet
from tiaodu.projects.models import AnnualPlan, Project
from tiaodu.projects.permissions import reads_business_data
from tiaodu.projects.selectors import project_for, projects_visible_to

router = Router(tags=["projects"])

# The library page's filters (`AnnualPlanFilterSet`), by the same names.
LibraryFilters = filter_query(AnnualPlanFilterSet, "LibraryFilters")


class ProjectOut(Schema):
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


def _business_reader(actor: Actor) -> None:
    """The library is for the business roles; the administrators and the auditor get 404,
    as on the page."""
    if not reads_business_data(actor):
        raise Refusal(404, [not_found_message()])


def library_plans(actor: Actor, data: dict[str, str]) -> tuple[QuerySet[AnnualPlan], int]:
    """The plan entries of a year (`year`, else the library's default year) that pass the
    library's filters, in the actor's scope: the page's list, as a queryset."""
    _business_reader(actor)
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
    _business_reader(actor)
    projects = projects_visible_to(actor)
    data = query_data(filters)
    if data:
        plans, _year = library_plans(actor, data)
        projects = projects.filter(pk__in=plans.values("project_id"))
    return projects.select_related("region", "owner_unit")


@router.get("/{project_id}", response=ProjectOut, url_name="project")
def get_project(request: SignedInRequest, project_id: int) -> Project:
    """One project; 404 when it is outside the caller's scope."""
    return project_for(request.user, project_id)

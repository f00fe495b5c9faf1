"""The project library over the API: the same selectors as the pages."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from tiaodu.core.bounds import ApiPages
from tiaodu.projects.selectors import project_for, projects_visible_to

router = Router(tags=["projects"])


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


@router.get("/", response=list[ProjectOut])
@paginate(ApiPages)
def list_projects(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The projects the caller may see, largest investment first."""
    return projects_visible_to(request.user).select_related("region", "owner_unit")


@router.get("/{project_id}", response=ProjectOut)
def get_project(request: HttpRequest, project_id: int):  # type: ignore[no-untyped-def]
    """One project; 404 when it is outside the caller's scope."""
    return project_for(request.user, project_id)

"""Leaders' instructions over the API, `GET /api/v1/instructions/`: the ones the caller may
read (a leader's own, a dispatcher's regions', a unit's), overdue first, through the same
selectors as the pages."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from tiaodu.core import clock
from tiaodu.core.api_support import CursorPages
from tiaodu.supervision.instructions.selectors import instructions_visible_to, with_overdue

router = Router(tags=["instructions"])


class InstructionOut(Schema):
    id: int
    subject_kind: str
    subject_id: int
    subject_title: str
    leader: str
    text: str
    unit: str
    region_code: str | None
    deadline: date
    status: str
    overdue: bool
    written_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_leader(obj: object) -> str:
        return str(obj.leader)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_unit(obj: object) -> str:
        return obj.unit.name  # type: ignore[attr-defined]

    @staticmethod
    def resolve_region_code(obj: object) -> str | None:
        return obj.region.region_code  # type: ignore[attr-defined]


@router.get("/", response=list[InstructionOut], url_name="instructions")
@paginate(CursorPages)
def list_instructions(request: HttpRequest, status: str | None = None):  # type: ignore[no-untyped-def]
    """The instructions the caller may read, overdue first; `status` keeps one stored
    status (issued, answered, closed)."""
    found = with_overdue(instructions_visible_to(request.user), clock.today())
    return found.filter(status=status) if status else found

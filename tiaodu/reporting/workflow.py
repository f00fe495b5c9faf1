"""The report workflow as a table (DOMAIN.md §3): (status, action) → (status, who may).

`who` names a relation of the actor to the report's project, decided in `permissions`:
the reporter (its owner unit, or its service officer), the district reviewer (a
dispatcher of the district, below the site's top region) and the city reviewer (a
dispatcher of the top region). The same table decides which buttons a page shows.
"""

from dataclasses import dataclass

from tiaodu.reporting.choices import ReportAction as A
from tiaodu.reporting.choices import ReportStatus as S

REPORTER = "reporter"
DISTRICT_REVIEWER = "district_reviewer"
CITY_REVIEWER = "city_reviewer"


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    who: frozenset[str]


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, A.SUBMIT, S.SUBMITTED, frozenset({REPORTER})),
    Transition(S.RETURNED, A.SUBMIT, S.SUBMITTED, frozenset({REPORTER})),
    Transition(
        S.SUBMITTED, A.APPROVE_DISTRICT, S.DISTRICT_APPROVED, frozenset({DISTRICT_REVIEWER})
    ),
    Transition(S.SUBMITTED, A.APPROVE, S.APPROVED, frozenset({CITY_REVIEWER})),
    Transition(S.DISTRICT_APPROVED, A.APPROVE, S.APPROVED, frozenset({CITY_REVIEWER})),
    Transition(S.SUBMITTED, A.RETURN, S.RETURNED, frozenset({DISTRICT_REVIEWER, CITY_REVIEWER})),
    Transition(S.DISTRICT_APPROVED, A.RETURN, S.RETURNED, frozenset({CITY_REVIEWER})),
    # An approved report stays approved: amending makes a new draft (the next amendment).
    Transition(S.APPROVED, A.AMEND, S.APPROVED, frozenset({REPORTER})),
)
TABLE: dict[tuple[str, str], Transition] = {(t.source, t.action): t for t in TRANSITIONS}
# Statuses in which the reporter may still change the report's contents and files.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})


def transition(status: str, action: str) -> Transition | None:
    return TABLE.get((status, action))


def allowed(status: str, action: str, relations: frozenset[str]) -> bool:
    """Whether an actor with these relations to the project may take the action now."""
    found = TABLE.get((status, action))
    return found is not None and bool(found.who & relations)


def actions_for(status: str, relations: frozenset[str]) -> list[str]:
    """The actions the actor may take on a report in this status, in table order."""
    return [t.action for t in TRANSITIONS if t.source == status and t.who & relations]

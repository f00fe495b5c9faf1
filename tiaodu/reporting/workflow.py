"""The report workflow as a table (DOMAIN.md §3): (status, action) → (status, who may).

`who` names a relation of the actor to the report's project, decided in `permissions`:
the reporter (its owner unit, or its service officer), the district reviewer (a
dispatcher of the district, below the site's top region) and the city reviewer (a
dispatcher of the top region). The same table decides which buttons a page shows
(`REPORTS.actions_for`); the services check and apply it (`tiaodu.core.workflow`).
"""

from tiaodu.core.workflow import Transition, Workflow
from tiaodu.reporting.choices import ReportAction as A
from tiaodu.reporting.choices import ReportStatus as S

REPORTER = "reporter"
DISTRICT_REVIEWER = "district_reviewer"
CITY_REVIEWER = "city_reviewer"

_REPORTER = frozenset({REPORTER})
_DISTRICT = frozenset({DISTRICT_REVIEWER})
_CITY = frozenset({CITY_REVIEWER})
_REVIEWERS = frozenset({DISTRICT_REVIEWER, CITY_REVIEWER})

REPORTS = Workflow(
    [
        Transition(S.DRAFT, A.SUBMIT, S.SUBMITTED, _REPORTER),
        Transition(S.RETURNED, A.SUBMIT, S.SUBMITTED, _REPORTER),
        Transition(S.SUBMITTED, A.APPROVE_DISTRICT, S.DISTRICT_APPROVED, _DISTRICT),
        Transition(S.SUBMITTED, A.APPROVE, S.APPROVED, _CITY),
        Transition(S.DISTRICT_APPROVED, A.APPROVE, S.APPROVED, _CITY),
        Transition(S.SUBMITTED, A.RETURN, S.RETURNED, _REVIEWERS),
        Transition(S.DISTRICT_APPROVED, A.RETURN, S.RETURNED, _CITY),
        # An approved report stays approved: amending makes a new draft (the next amendment).
        Transition(S.APPROVED, A.AMEND, S.APPROVED, _REPORTER),
    ]
)
# Statuses in which the reporter may still change the report's contents and files.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})

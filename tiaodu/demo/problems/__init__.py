"""The demo city's problem ledger (`load_demo`): problems in every state over the months
before the demo's date, with their whole timeline.

A part of the demo (`demo.parts`). About one started project in
eight has a problem: raised from a report that named one (by its reporter, when it was
submitted), from the project page (by a dispatcher or the service officer) or, for the demo
reporter's projects, by the direct channel; assigned to the department of its category
with the deadline of its level; most resolved and closed, some on time and some late, some
sent back, some still open and overdue, some escalated. Every step goes through the
problem services with the clock set to the moment it happened, so the rows, their audit
events (the timeline) and the notifications are the services' own, dated then. A problem
that goes further than assigned is one for the demo handler's department, since only a
handler of the department takes it in hand.
"""

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit
from tiaodu.core import clock
from tiaodu.demo.library.spec import DemoSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.demo.problems import texts
from tiaodu.demo.problems.days import later, office_time, working_days_before
from tiaodu.problems import services
from tiaodu.problems.choices import (
    ProblemCategory,
    ProblemLevel,
    ProblemSource,
    ProblemStatus,
)
from tiaodu.problems.models import Problem
from tiaodu.problems.services import deadline_days
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.projects.models import AnnualPlan, Project
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.models import Report

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded

NAME = "problems"
SHARE = 8  # one started project in this many has a problem
MOST = 160
STEP = dt.timedelta(minutes=7)  # the least time between two steps of a problem
S = ProblemStatus
# (final status, weight, working days back from the demo's date the problem was raised)
FATES: tuple[tuple[str, int, tuple[int, int]], ...] = (
    (S.CLOSED, 50, (25, 160)),
    (S.RESOLVED, 8, (8, 30)),
    (S.IN_PROGRESS, 22, (4, 40)),
    (S.ASSIGNED, 12, (2, 20)),
    (S.REPORTED, 8, (0, 3)),
)


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    rng = random.Random(spec.seed * 31 + 5)
    cast = _Cast(loaded)
    plans = list(
        AnnualPlan.objects.filter(
            year=spec.year,
            nature__in=(
                AnnualPlanNature.NEW_START,
                AnnualPlanNature.CONTINUING,
                AnnualPlanNature.COMPLETING,
            ),
            project__region__path__startswith=loaded.root.path,
        )
        .select_related("project__region", "project__owner_unit", "project__service_officer")
        .order_by("project_id")
    )
    chosen = rng.sample(plans, min(MOST, max(1, len(plans) // SHARE))) if plans else []
    # The demo accounts' own projects always have problems, so every account has work.
    for plan in plans:
        if cast.owned(plan.project) and plan not in chosen and len(chosen) < MOST + 4:
            chosen.append(plan)
    reports = _reports_naming_problems({plan.project_id for plan in chosen}, spec.as_of)
    statuses: Counter[str] = Counter()
    overdue = 0
    fates = _fates(rng, len(chosen))
    for plan, (fate, back) in zip(chosen, fates, strict=True):
        problem = _write(rng, spec.as_of, cast, plan.project, fate, back, reports)
        statuses[problem.status] += 1
        open_statuses = (S.REPORTED, S.ASSIGNED, S.IN_PROGRESS)
        if problem.status in open_statuses and problem.deadline and problem.deadline < spec.as_of:
            overdue += 1
    counts = "，".join(f"{S(status).label} {statuses[status]}" for status in S.values)
    return [
        _("Problem ledger: %(count)d problems (%(counts)s; overdue %(overdue)d)")
        % {"count": sum(statuses.values()), "counts": counts, "overdue": overdue}
    ]


class _Cast:
    """The people and departments of the demo's problems."""

    def __init__(self, loaded: "Loaded") -> None:
        users = loaded.users
        self.city = users["dispatcher"]
        self.district = users["district"]
        self.handler = users["handler"]
        self.officer = users["officer"]
        self.reporter = users["reporter"]
        self.district_path = self.district.scope_grants()[0].unit_path
        reporter_unit = self.reporter.scope_grants()[0].unit_path
        self.reporter_unit_path = reporter_unit
        handled = self.handler.scope_grants()[0].unit_path
        departments = OrgUnit.objects.filter(
            kind=OrgUnitKind.DEPARTMENT, path__startswith=loaded.root.path, is_active=True
        )
        self.departments: dict[str, OrgUnit] = {}
        for category, name in texts.DEPARTMENT_OF.items():
            found = departments.filter(Q(name=name) | Q(name__endswith=name[1:])).first()
            self.departments[category] = found or departments.get(path=handled)
        self.handled_path = handled

    def owned(self, project: Project) -> bool:
        unit = project.owner_unit
        return unit is not None and unit.path.startswith(self.reporter_unit_path)

    def dispatcher_of(self, project: Project, level: str) -> Any:
        in_district = project.region.path.startswith(self.district_path)
        return self.district if in_district and level == ProblemLevel.DISTRICT else self.city

    def handler_of(self, department: OrgUnit) -> Any:
        return self.handler if department.path.startswith(self.handled_path) else None

    def categories_for(self, fate: str) -> list[str]:
        """The categories a problem of this fate may have: one that goes further than
        assigned needs a department whose handler has an account (the demo handler's)."""
        if fate in (S.REPORTED, S.ASSIGNED):
            return list(ProblemCategory.values)
        return [
            category
            for category in ProblemCategory.values
            if self.handler_of(self.departments[category]) is not None
        ]


def _fates(rng: random.Random, count: int) -> list[tuple[str, int]]:
    """Each fate once (when there are enough problems), the rest drawn by weight, shuffled;
    with the working days back from the demo's date each problem was raised."""
    weights = [weight for _status, weight, _back in FATES]
    drawn = list(FATES[:count]) + rng.choices(FATES, weights=weights, k=max(0, count - len(FATES)))
    rng.shuffle(drawn)
    return [(status, rng.randint(low, high)) for status, _weight, (low, high) in drawn]


def _reports_naming_problems(projects: set[int], as_of: dt.date) -> dict[int, Report]:
    """The latest approved report of each project that named a new problem."""
    found: dict[int, Report] = {}
    for report in (
        Report.objects.filter(project_id__in=projects, status=ReportStatus.APPROVED)
        .exclude(new_problems="")
        .exclude(submitted_at=None)
        .select_related("submitted_by")
        .order_by("submitted_at")
    ):
        if report.submitted_at and report.submitted_at.date() <= as_of:
            found[report.project_id] = report
    return found


def _write(
    rng: random.Random,
    as_of: dt.date,
    cast: _Cast,
    project: Project,
    fate: str,
    back: int,
    reports: dict[int, Report],
) -> Problem:
    category = rng.choice(cast.categories_for(fate))
    title, description, resolution = rng.choice(texts.TEXTS[category])
    raised_day = working_days_before(as_of, back)
    source, raiser, report = ProblemSource.PROJECT_PAGE, None, None
    found = reports.get(project.pk)
    if found is not None and rng.random() < 0.5 and found.submitted_by is not None:
        source, raiser, report = ProblemSource.REPORT, found.submitted_by, found
        assert found.submitted_at is not None
        raised_day = min(timezone.localdate(found.submitted_at), raised_day)
        description = found.new_problems
    elif cast.owned(project):
        source = ProblemSource.DIRECT if rng.random() < 0.6 else ProblemSource.PROJECT_PAGE
        raiser = cast.reporter
    officer = project.service_officer
    if raiser is None and officer is not None and officer.user_id == cast.officer.pk:
        raiser = cast.officer
    city_wide = project.region.parent_id is None
    level = (
        ProblemLevel.CITY if source == ProblemSource.DIRECT or city_wide else ProblemLevel.DISTRICT
    )
    raiser = raiser or cast.dispatcher_of(project, level)
    raised_at = office_time(rng, raised_day)
    if report is not None and report.submitted_at is not None:
        raised_at = max(raised_at, report.submitted_at + STEP)
    with clock.frozen(raised_at):
        problem = services.raise_problem(
            actor=raiser,
            project=project,
            category=category,
            title=title,
            description=description,
            source=source,
            report=report,
        )
    loop = _Loop(rng, as_of, cast, problem, resolution)
    loop.run(fate, raised_day)
    return loop.problem


class _Loop:
    """The steps from raised to the fate, each through the problem services with the clock
    set to a later working day's office hours (never after the demo's date)."""

    def __init__(
        self,
        rng: random.Random,
        as_of: dt.date,
        cast: _Cast,
        problem: Problem,
        resolution: str,
    ) -> None:
        self.rng, self.as_of, self.cast = rng, as_of, cast
        self.problem, self.resolution = problem, resolution
        self.last = problem.raised_at

    def when(self, day: dt.date) -> dt.datetime:
        """A moment of the day's office hours after the last step (never after the demo's
        date): steps on the same day come one after another."""
        at = max(office_time(self.rng, min(day, self.as_of)), self.last + STEP)
        self.last = at
        return at

    def step(self, day: dt.date, service: Callable[..., Any], **arguments: Any) -> None:
        """Take one step through a service on the day; the problem as it now stands."""
        with clock.frozen(self.when(day)):
            result = service(problem=self.problem, **arguments)
        if isinstance(result, Problem):
            self.problem = result

    def run(self, fate: str, day: dt.date) -> None:
        problem, rng, cast = self.problem, self.rng, self.cast
        if fate == S.REPORTED:
            return
        dispatcher = cast.dispatcher_of(problem.project, problem.level)
        if fate != S.CLOSED and rng.random() < 0.12 and problem.level == ProblemLevel.DISTRICT:
            self.step(day, services.escalate_problem, actor=dispatcher)
            dispatcher = cast.city
        if fate == S.CLOSED and rng.random() < 0.04:
            while self.problem.level != ProblemLevel.JOINT_MEETING:
                self.step(day, services.escalate_problem, actor=cast.city)
            dispatcher = cast.city
        day = later(rng, day, 0, 2)
        department = cast.departments[self.problem.category]
        handler = cast.handler_of(department)
        self.step(
            day, services.assign_problem, actor=dispatcher, department=department, handler=handler
        )
        if fate == S.ASSIGNED or handler is None:
            return
        day = later(rng, day, 1, 3)
        self.step(day, services.start_problem, actor=handler)
        if rng.random() < 0.5:
            self.step(
                later(rng, day, 0, 2),
                services.comment_problem,
                actor=handler,
                text=rng.choice(texts.COMMENTS),
            )
        if fate == S.IN_PROGRESS:
            if rng.random() < 0.25:
                self._resolve_and_reject(day, handler, dispatcher)
            return
        late = rng.random() < 0.2
        span = deadline_days(self.problem.level)
        day = (
            later(rng, day, span // 2, span + 8) if late else later(rng, day, 2, max(3, span // 2))
        )
        if fate == S.CLOSED and rng.random() < 0.1:
            day = self._resolve_and_reject(day, handler, dispatcher)
        self.step(day, services.resolve_problem, actor=handler, resolution=self.resolution)
        if fate == S.RESOLVED:
            return
        self.step(later(rng, day, 1, 3), services.close_problem, actor=dispatcher)

    def _resolve_and_reject(self, day: dt.date, handler: Any, dispatcher: Any) -> dt.date:
        day = later(self.rng, day, 2, 5)
        self.step(day, services.resolve_problem, actor=handler, resolution=self.resolution)
        day = later(self.rng, day, 1, 2)
        self.step(
            day,
            services.reject_resolution,
            actor=dispatcher,
            reason=self.rng.choice(texts.REJECTIONS),
        )
        return later(self.rng, day, 2, 4)


PART = DemoPart(NAME, load)

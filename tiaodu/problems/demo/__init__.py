"""The demo city's problem ledger (`load_demo`): problems in every state over the months
before the demo's date, with their whole timeline.

Registered as a part of the demo in `ProblemsConfig.ready`. About one started project in
eight has a problem: raised from a report that named one (by its reporter, when it was
submitted), from the project page (by a dispatcher or the service officer) or, for the demo
reporter's projects, by the direct channel; assigned to the department of its category
with the deadline of its level; most resolved and closed, some on time and some late, some
sent back, some still open and overdue, some escalated. The rows and their audit events
are those the services write (`history`), each dated when it happened.
"""

import datetime as dt
import random
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext as _

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit
from tiaodu.core.workdays import add_working_days
from tiaodu.problems import workflow
from tiaodu.problems.choices import (
    LEVEL_ORDER,
    ProblemAction,
    ProblemCategory,
    ProblemLevel,
    ProblemSource,
    ProblemStatus,
)
from tiaodu.problems.demo import texts
from tiaodu.problems.demo.history import History, later, office_time, working_days_before
from tiaodu.problems.models import Problem, ProblemComment
from tiaodu.problems.services import deadline_days
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.projects.demo.extensions import DemoExtension, register
from tiaodu.projects.demo.spec import DemoSpec
from tiaodu.projects.models import AnnualPlan, Project
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.models import Report

if TYPE_CHECKING:
    from tiaodu.projects.demo.builder import Loaded

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


def register_extension() -> None:
    register(DemoExtension(NAME, load))


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
    history = History()
    statuses: Counter[str] = Counter()
    overdue = 0
    fates = _fates(rng, len(chosen))
    for plan, (fate, back) in zip(chosen, fates, strict=True):
        problem = _write(rng, spec.as_of, cast, history, plan.project, fate, back, reports)
        statuses[problem.status] += 1
        open_statuses = (S.REPORTED, S.ASSIGNED, S.IN_PROGRESS)
        if problem.status in open_statuses and problem.deadline and problem.deadline < spec.as_of:
            overdue += 1
    history.write()
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
    history: History,
    project: Project,
    fate: str,
    back: int,
    reports: dict[int, Report],
) -> Problem:
    category = rng.choice(ProblemCategory.values)
    title, description, resolution = rng.choice(texts.TEXTS[category])
    raised_day = working_days_before(as_of, back)
    source, raiser, report = ProblemSource.PROJECT_PAGE, None, None
    found = reports.get(project.pk)
    if found is not None and rng.random() < 0.5 and found.submitted_by is not None:
        source, raiser, report = ProblemSource.REPORT, found.submitted_by, found
        assert found.submitted_at is not None
        raised_day = min(found.submitted_at.date(), raised_day)
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
    problem = Problem(
        project=project,
        report=report,
        source=source,
        category=category,
        level=level,
        title=title,
        description=description,
        raised_by=raiser,
        raised_at=office_time(rng, raised_day),
        status=S.REPORTED,
    )
    problem.created_at = problem.raised_at
    problem.save()
    history.created(actor=raiser, instance=problem, at=problem.raised_at, parent=project)
    _Loop(rng, as_of, cast, history, problem, resolution).run(fate, raised_day)
    problem.save()
    return problem


class _Loop:
    """The steps from raised to the fate, each on a later working day (never after the
    demo's date), recorded in the history."""

    def __init__(
        self,
        rng: random.Random,
        as_of: dt.date,
        cast: _Cast,
        history: History,
        problem: Problem,
        resolution: str,
    ) -> None:
        self.rng, self.as_of, self.cast, self.history = rng, as_of, cast, history
        self.problem, self.resolution = problem, resolution
        self.last = problem.raised_at

    def when(self, day: dt.date) -> dt.datetime:
        """A moment of the day's office hours after the last step (never after the demo's
        date): steps on the same day come one after another."""
        at = max(office_time(self.rng, min(day, self.as_of)), self.last + STEP)
        self.last = at
        return at

    def step(
        self, action: str, at: dt.datetime, actor: Any, actor_name: str = "", **fields: Any
    ) -> None:
        target = workflow.PROBLEMS.step(self.problem.status, action)
        assert target is not None, (self.problem.status, action)
        self.history.changed(
            actor=actor,
            instance=self.problem,
            at=at,
            parent=self.problem.project,
            actor_name="" if actor is not None else actor_name,
            status=target.target,
            **fields,
        )

    def run(self, fate: str, day: dt.date) -> None:
        problem, rng = self.problem, self.rng
        if fate == S.REPORTED:
            return
        dispatcher = self.cast.dispatcher_of(problem.project, problem.level)
        if fate != S.CLOSED and rng.random() < 0.12 and problem.level == ProblemLevel.DISTRICT:
            self.step(
                ProblemAction.ESCALATE,
                self.when(day),
                dispatcher,
                level=ProblemLevel.CITY,
                escalations=1,
            )
            dispatcher = self.cast.city
        joint = fate == S.CLOSED and rng.random() < 0.04
        if joint:
            while problem.level != ProblemLevel.JOINT_MEETING:
                up = LEVEL_ORDER[LEVEL_ORDER.index(problem.level) + 1]
                self.step(
                    ProblemAction.ESCALATE,
                    self.when(day),
                    self.cast.city,
                    level=up,
                    escalations=problem.escalations + 1,
                )
            dispatcher = self.cast.city
        day = later(rng, day, 0, 2)
        department = self.cast.departments[problem.category]
        handler = self.cast.handler_of(department)
        deadline = add_working_days(day, deadline_days(problem.level))
        at = self.when(day)
        self.step(
            ProblemAction.ASSIGN,
            at,
            dispatcher,
            assigned_department=department,
            handler=handler,
            deadline=deadline,
            assigned_at=at,
        )
        if fate == S.ASSIGNED:
            return
        name = department.name
        day = later(rng, day, 1, 3)
        self.step(ProblemAction.START, self.when(day), handler, name, handler=handler)
        if rng.random() < 0.5:
            self._comment(day, handler or dispatcher)
        if fate == S.IN_PROGRESS:
            if rng.random() < 0.25:
                self._resolve_and_reject(day, handler, name, dispatcher)
            return
        late = rng.random() < 0.2
        span = deadline_days(problem.level)
        day = (
            later(rng, day, span // 2, span + 8) if late else later(rng, day, 2, max(3, span // 2))
        )
        if fate == S.CLOSED and rng.random() < 0.1:
            day = self._resolve_and_reject(day, handler, name, dispatcher)
        at = self.when(day)
        self.step(
            ProblemAction.RESOLVE,
            at,
            handler,
            name,
            resolution=self.resolution,
            resolved_at=at,
            rejection_reason="",
        )
        if fate == S.RESOLVED:
            return
        day = later(rng, day, 1, 3)
        at = self.when(day)
        self.step(ProblemAction.CLOSE, at, dispatcher, closed_at=at)

    def _resolve_and_reject(
        self, day: dt.date, handler: Any, name: str, dispatcher: Any
    ) -> dt.date:
        day = later(self.rng, day, 2, 5)
        at = self.when(day)
        self.step(
            ProblemAction.RESOLVE,
            at,
            handler,
            name,
            resolution=self.resolution,
            resolved_at=at,
            rejection_reason="",
        )
        day = later(self.rng, day, 1, 2)
        self.step(
            ProblemAction.REJECT_RESOLUTION,
            self.when(day),
            dispatcher,
            rejection_reason=self.rng.choice(texts.REJECTIONS),
            resolved_at=None,
        )
        return later(self.rng, day, 2, 4)

    def _comment(self, day: dt.date, author: Any) -> None:
        at = self.when(later(self.rng, day, 0, 2))
        comment = ProblemComment.objects.create(
            problem=self.problem, author=author, text=self.rng.choice(texts.COMMENTS), created_at=at
        )
        self.history.created(actor=author, instance=comment, at=at, parent=self.problem)

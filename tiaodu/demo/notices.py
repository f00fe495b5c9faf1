"""The demo city's supervision notices (`load_demo`): every kind, in every state.

A part of the demo (`demo.parts`), after the problem ledger.
Over the months before the demo's date the city dispatcher issued reminders, supervision
orders, warning letters and an interview notice about lagging projects: to the demo
reporter's unit and to the demo handler's department (so both have notices to read and
answer), and to other owner units, which are not on the site and answered on paper (the
dispatcher closed those notices) or have not answered. Numbers run per kind and year
without gaps, as issuing gives them. Every step goes through the supervision services with
the clock set to the moment it happened, so the notices, their audit events and the
notifications they send are dated then. A second part (`load_meetings`) holds a
consultation and a joint meeting on open problems, on their days.
"""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.core import clock
from tiaodu.demo.library.spec import DemoSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.demo.problems.days import later, office_time, working_days_before
from tiaodu.problems.choices import ProblemLevel, ProblemStatus
from tiaodu.problems.models import Problem
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.projects.models import AnnualPlan, Project
from tiaodu.supervision.meetings import services as meeting_services
from tiaodu.supervision.meetings.choices import DecisionOutcome, MeetingKind
from tiaodu.supervision.meetings.permissions import convening_units
from tiaodu.supervision.notices import services
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.supervision.notices.models import Notice

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded

NAME = "notices"
K = NoticeKind
STEP = dt.timedelta(minutes=7)  # the least time between two steps of a notice


@dataclass(frozen=True)
class Plan:
    """One notice of the demo: to whom (the reporter's unit, the handler's department, or
    another owner unit), how many working days before the demo's date, and what became of
    it (answered, closed after an answer, closed without one, or still waiting)."""

    kind: str
    to: str
    back: int
    fate: str


PLANS = (
    Plan(K.REMINDER, "reporter", 95, "answered_closed"),
    Plan(K.REMINDER, "other", 80, "closed"),
    Plan(K.SUPERVISION_ORDER, "other", 70, "closed"),
    Plan(K.REMINDER, "handler", 60, "answered_closed"),
    Plan(K.WARNING_LETTER, "other", 55, "closed"),
    Plan(K.INTERVIEW, "other", 45, "closed"),
    Plan(K.REMINDER, "other", 30, "waiting"),
    Plan(K.SUPERVISION_ORDER, "handler", 20, "answered"),
    Plan(K.SUPERVISION_ORDER, "other", 18, "waiting"),
    Plan(K.WARNING_LETTER, "other", 12, "waiting"),
    Plan(K.REMINDER, "reporter", 10, "answered"),
    Plan(K.REMINDER, "handler", 3, "waiting"),
    Plan(K.SUPERVISION_ORDER, "reporter", 2, "waiting"),
)

# The matter itself: the document's title reads 关于<subject>的<kind>.
SUBJECTS: dict[str, str] = {
    K.REMINDER: "{name}等项目推进滞后",
    K.SUPERVISION_ORDER: "加快推进{name}等项目建设",
    K.WARNING_LETTER: "{name}等项目建设严重滞后",
    K.INTERVIEW: "{name}等项目推进不力",
}
BODY = (
    "经调度，你单位负责的{names}本年累计完成投资低于序时进度，"
    "部分节点未按计划完成，已影响全市重点项目整体推进。"
)
REQUIREMENTS: dict[str, str] = {
    K.REMINDER: "请于规定时间内书面说明滞后原因及下一步推进措施。",
    K.SUPERVISION_ORDER: "请于规定时间内报送整改方案，明确责任人和完成时限，并按旬报送整改进展。",
    K.WARNING_LETTER: "请主要负责同志和包保领导高度重视，于规定时间内报送整改方案，逾期未改将提请约谈。",
    K.INTERVIEW: "请单位主要负责同志按时参加约谈，并准备项目推进情况书面汇报。",
}
RESPONSES = (
    (
        "已收悉。滞后主要因征地拆迁和资金到位较晚，现已逐项落实。",
        "倒排工期，增加施工班组，确保月底前追回进度。",
    ),
    (
        "已召开专题会议研究部署，成立工作专班。",
        "每周调度一次，专班驻场推进，下旬完成主体结构封顶。",
    ),
)


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    rng = random.Random(spec.seed * 17 + 3)
    users = loaded.users
    dispatcher = users["dispatcher"]
    responders = {"reporter": users["reporter"], "handler": users["handler"]}
    started = AnnualPlan.objects.filter(
        year=spec.year,
        nature__in=(AnnualPlanNature.CONTINUING, AnnualPlanNature.NEW_START),
        project__region__path__startswith=loaded.root.path,
    )
    units = {
        name: OrgUnit.objects.get(path=user.scope_grants()[0].unit_path)
        for name, user in responders.items()
    }
    others = list(
        OrgUnit.objects.filter(pk__in=started.values("project__owner_unit"))
        .exclude(pk=units["reporter"].pk)
        .annotate(n=Count("owned_projects"))
        .order_by("-n", "pk")[:8]
    )
    kinds: Counter[str] = Counter()
    for plan in sorted(PLANS, key=lambda plan: -plan.back):
        unit = units.get(plan.to)
        if unit is None and others:
            unit = others[rng.randrange(len(others))]
        if unit is None:
            continue
        projects = _projects(rng, started, unit, plan.to)
        if not projects:
            continue
        leader = next((p.sponsoring_leader for p in projects if p.sponsoring_leader), None)
        if plan.kind == K.WARNING_LETTER and leader is None:
            continue
        day = working_days_before(spec.as_of, plan.back)
        notice = _issue(rng, dispatcher, plan, unit, projects, leader, day)
        _follow(rng, spec.as_of, notice, plan, dispatcher, responders.get(plan.to))
        kinds[plan.kind] += 1
    listed = "，".join(f"{K(kind).label} {kinds[kind]}" for kind in K.values)
    return [_("Supervision notices: %(listed)s") % {"listed": listed}]


def _projects(rng: random.Random, started: Any, unit: OrgUnit, to: str) -> list[Project]:
    field = "project__responsible_unit" if to == "handler" else "project__owner_unit"
    ids = list(started.filter(**{field: unit}).values_list("project_id", flat=True))
    chosen = rng.sample(ids, min(len(ids), rng.randint(1, 3)))
    return list(
        Project.objects.filter(pk__in=chosen).select_related("sponsoring_leader").order_by("pk")
    )


def _issue(
    rng: random.Random,
    dispatcher: Any,
    plan: Plan,
    unit: OrgUnit,
    projects: list[Project],
    leader: Any,
    day: dt.date,
) -> Notice:
    """The dispatcher issues the notice on its day; issuing numbers it and tells the unit."""
    names = "、".join(f"“{project.name}”" for project in projects)
    with clock.frozen(office_time(rng, day)):
        return services.issue_notice(
            actor=dispatcher,
            kind=plan.kind,
            recipient_unit=unit,
            projects=projects,
            subject=SUBJECTS[plan.kind].format(name=projects[0].name),
            body=BODY.format(names=names),
            requirements=REQUIREMENTS[plan.kind],
            sponsoring_leader=leader if plan.kind == K.WARNING_LETTER else None,
        )


def _follow(
    rng: random.Random,
    as_of: dt.date,
    notice: Notice,
    plan: Plan,
    dispatcher: Any,
    responder: Any,
) -> None:
    """The unit's answer and the dispatcher's close, each on a later working day."""
    issued = notice.issued_at
    day = timezone.localdate(issued)
    if plan.fate.startswith("answered") and responder is not None:
        day = min(later(rng, day, 1, 4), as_of)
        text, rectification = RESPONSES[rng.randrange(len(RESPONSES))]
        with clock.frozen(max(office_time(rng, day), issued + STEP)) as at:
            services.respond(
                actor=responder,
                notice=notice,
                text=text,
                rectification_plan=""
                if notice.kind == K.REMINDER and rng.random() < 0.5
                else rectification,
            )
        issued = at
    if plan.fate in ("answered_closed", "closed"):
        day = min(later(rng, day, 2, 6), as_of)
        with clock.frozen(max(office_time(rng, day), issued + STEP)):
            services.close_notice(actor=dispatcher, notice=notice)


# ----------------------------------------------------------------------------- meetings


def load_meetings(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    """A consultation last week and a joint meeting this week, each deciding on open
    problems of the ledger through the problem workflow (the services)."""
    city = loaded.users["dispatcher"]
    today = min(spec.as_of, clock.today())
    open_problems = (
        Problem.objects.filter(
            project__region__path__startswith=loaded.root.path,
            status__in=(ProblemStatus.REPORTED, ProblemStatus.ASSIGNED, ProblemStatus.IN_PROGRESS),
        )
        .exclude(level=ProblemLevel.DISTRICT)
        .select_related("project")
        .order_by("raised_at")
    )
    chosen = list(open_problems[:5])
    if not chosen:
        return []
    unit = convening_units(city)[0]
    written = 0
    for kind, title, day, agenda in (
        (
            MeetingKind.CONSULTATION,
            _("Consultation on the key projects' obstacles"),
            working_days_before(today, 5),
            chosen[:2],
        ),
        (
            MeetingKind.JOINT_MEETING,
            _("Joint meeting on the key projects"),
            working_days_before(today, 1),
            chosen[2:],
        ),
    ):
        if not agenda:
            continue
        # The meeting is held, and its decisions carried out, at ten on its day.
        with clock.frozen(timezone.make_aware(dt.datetime.combine(day, dt.time(10)))):
            meeting = meeting_services.create_meeting(
                actor=city,
                kind=kind,
                title=title,
                date=day,
                convening_unit=unit,
                place=_("Meeting room 3, development and reform commission"),
                chair_name="刘建华（副市长）",
                attendee_users=[city, loaded.users["handler"]],
                attendee_lines=[
                    ("市自然资源和规划局", "陈志远", "副局长"),
                    ("市财政局", "赵敏", "副局长"),
                ],
                minutes=_(
                    "The meeting heard the departments on each problem and decided as below."
                ),
            )
            written += 1
            for problem in agenda:
                meeting_services.add_agenda_problem(actor=city, meeting=meeting, problem=problem)
                if problem.status == ProblemStatus.REPORTED or problem.assigned_department is None:
                    department = _handlers_department(loaded)
                    meeting_services.record_decision(
                        actor=city,
                        meeting=meeting,
                        problem=problem,
                        outcome=DecisionOutcome.ASSIGN,
                        text=_("The department takes the problem in hand within the deadline."),
                        department=department,
                    )
                else:
                    meeting_services.record_decision(
                        actor=city,
                        meeting=meeting,
                        problem=problem,
                        outcome=DecisionOutcome.WATCH,
                        text=_(
                            "The department reports progress every ten days until it is solved."
                        ),
                    )
    return [_("Meetings: %(count)d with decisions on open problems") % {"count": written}]


def _handlers_department(loaded: "Loaded") -> OrgUnit:
    """The demo handler's department, so that what a meeting assigns reaches an account."""
    handler = loaded.users["handler"]
    return OrgUnit.objects.get(path=handler.scope_grants()[0].unit_path)


PART = DemoPart(NAME, load)
MEETINGS = DemoPart("meetings", load_meetings)

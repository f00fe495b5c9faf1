"""The figures the video wall and the roll call show beside a project's stream: the year's
plan and what is done of it, the time progress it is held to, its latest card and its open
problems, each read through the reader's own scoping."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When

from tiaodu.core.scoping import Someone
from tiaodu.problems.choices import OPEN_STATUSES
from tiaodu.problems.selectors import problems_visible_to
from tiaodu.projects import figure_conditions
from tiaodu.projects.models import AnnualPlan, Project
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.scoring.board import with_final_colour
from tiaodu.scoring.choices import Colour
from tiaodu.scoring.selectors import cards_visible_to

CENT = Decimal("0.01")


@dataclass
class ProjectFigures:
    """One project's figures of the year as of a day."""

    project: Project
    plan: AnnualPlan | None = None
    annual_plan: Decimal | None = None
    ytd_completed: Decimal | None = None
    completion_rate: Decimal | None = None
    time_progress: Decimal = Decimal(0)
    lagging: bool = False
    card: str = ""
    card_month: dt.date | None = None
    open_problems: int = 0
    photos: list[int] = field(default_factory=list)

    @property
    def card_label(self) -> str:
        return str(Colour(self.card).label) if self.card else ""

    @property
    def red(self) -> bool:
        return self.card == Colour.RED


def annotated_plans(actor: Someone, as_of: dt.date) -> QuerySet[AnnualPlan]:
    """The reader's plan entries of the year of `as_of`, each with its year-to-date figure,
    whether it lags time progress, and the final colour and month of its latest card up to
    that day (no card: empty)."""
    cards = with_final_colour(
        cards_visible_to(actor).filter(plan=OuterRef("pk"), month__lte=as_of)
    ).order_by("-month")
    return (
        plans_visible_to(actor)
        .filter(year=as_of.year)
        .annotate(
            ytd=figure_conditions.ytd_completed(as_of),
            is_lagging=Case(
                When(figure_conditions.lagging(as_of), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            card=Subquery(cards.values("final")[:1]),
            card_month=Subquery(cards.values("month")[:1]),
        )
    )


def open_problem_counts(actor: Someone, project_ids: Iterable[int]) -> dict[int, int]:
    """How many open problems of each project the reader may open."""
    rows = (
        problems_visible_to(actor)
        .filter(project_id__in=list(project_ids), status__in=OPEN_STATUSES)
        .order_by()
        .values_list("project_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def figures_of(
    actor: Someone, projects: Iterable[Project], as_of: dt.date
) -> dict[int, ProjectFigures]:
    """Each project's figures, by project id (a project without a plan entry of the year
    has its open problems only)."""
    projects = list(projects)
    ids = [project.pk for project in projects]
    found = {project.pk: ProjectFigures(project=project) for project in projects}
    progress = figure_conditions.time_progress(as_of)
    for plan in annotated_plans(actor, as_of).filter(project_id__in=ids):
        figures = found[plan.project_id]
        figures.plan = plan
        figures.annual_plan = plan.planned_investment
        # Two places on every database (an expression may come back as 0).
        figures.ytd_completed = Decimal(plan.ytd or 0).quantize(CENT)  # type: ignore[attr-defined]
        figures.completion_rate = figure_conditions.completion_rate(
            plan.ytd,  # type: ignore[attr-defined]
            plan.planned_investment,
        )
        figures.lagging = bool(plan.is_lagging)  # type: ignore[attr-defined]
        figures.card = plan.card or ""  # type: ignore[attr-defined]
        figures.card_month = plan.card_month  # type: ignore[attr-defined]
    for figures in found.values():
        figures.time_progress = progress
    for project_id, count in open_problem_counts(actor, ids).items():
        found[project_id].open_problems = count
    return found


def lagging_or_red() -> Q:
    """On `annotated_plans`: the entries that lag time progress or whose latest card is red."""
    return Q(is_lagging=True) | Q(card=Colour.RED)

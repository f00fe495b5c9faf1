"""The steps of the problem workflow as the problem page and the API take them: the form
that reads each step's input (None for a step without one), the service that takes it, and
the steps the table gives an actor now. One table, so the page and the API cannot differ."""

from collections.abc import Callable
from typing import Any

from django.forms import Form

from tiaodu.core import clock
from tiaodu.core.scoping import Actor
from tiaodu.problems import services, workflow
from tiaodu.problems.choices import LEVEL_ORDER, ProblemAction
from tiaodu.problems.forms import AssignForm, ReasonForm, ResolveForm
from tiaodu.problems.models import Problem
from tiaodu.problems.permissions import relations

FORMS: dict[str, type[Form] | None] = {
    ProblemAction.ASSIGN: AssignForm,
    ProblemAction.START: None,
    ProblemAction.RESOLVE: ResolveForm,
    ProblemAction.REJECT_RESOLUTION: ReasonForm,
    ProblemAction.CLOSE: None,
    ProblemAction.ESCALATE: ReasonForm,
}


def _assign(actor: Actor, problem: Problem, data: dict[str, Any]) -> Problem:
    return services.assign_problem(
        actor=actor,
        problem=problem,
        department=data["department"],
        handler=data.get("handler"),
        deadline=data.get("deadline"),
    )


STEPS: dict[str, Callable[[Any, Problem, dict[str, Any]], Problem]] = {
    ProblemAction.ASSIGN: _assign,
    ProblemAction.START: lambda actor, problem, _data: services.start_problem(
        actor=actor, problem=problem
    ),
    ProblemAction.RESOLVE: lambda actor, problem, data: services.resolve_problem(
        actor=actor, problem=problem, resolution=data.get("resolution", "")
    ),
    ProblemAction.REJECT_RESOLUTION: lambda actor, problem, data: services.reject_resolution(
        actor=actor, problem=problem, reason=data.get("reason", "")
    ),
    ProblemAction.CLOSE: lambda actor, problem, _data: services.close_problem(
        actor=actor, problem=problem
    ),
    ProblemAction.ESCALATE: lambda actor, problem, data: services.escalate_problem(
        actor=actor, problem=problem, reason=data.get("reason", "")
    ),
}


def available_actions(actor: Actor, problem: Problem) -> list[str]:
    """The steps the table gives the actor now (escalation only below the highest level)."""
    actions = workflow.PROBLEMS.actions_for(relations(actor, problem), problem.status)
    if problem.level == LEVEL_ORDER[-1]:
        actions = [action for action in actions if action != ProblemAction.ESCALATE]
    return actions


def step_form(
    action: str, problem: Problem, data: Any = None, prefix: str | None = None
) -> Form | None:
    """The form of a step (bound to `data` when given); the page prefixes it by the action."""
    form_class = FORMS[action]
    if form_class is None:
        return None
    return form_class(data, problem=problem, prefix=prefix, today=clock.today())  # type: ignore[call-arg]

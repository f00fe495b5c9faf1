"""The 现场督查 tab of the project page (registered in SupervisionConfig.ready): the
project's visits the reader may see, newest first, with their scores and findings."""

from typing import Any

from django.utils.translation import gettext_lazy

from tiaodu.core.scoping import Actor
from tiaodu.projects.detail_tabs import ProjectTab, register_tab
from tiaodu.projects.models import Project
from tiaodu.supervision.rounds import scores, selectors


def visits_context(actor: Actor, project: Project) -> dict[str, Any]:
    visits = list(selectors.project_visits(actor, project))
    scored = [visit.score for visit in visits if visit.score is not None]
    return {"visits": visits, "average": scores.average(scored), "scored": len(scored)}


def register() -> None:
    register_tab(
        ProjectTab(
            key="visits",
            label=gettext_lazy("Field rounds"),
            template="supervision/rounds/_project_visits.html",
            context=visits_context,
            order=120,
        )
    )

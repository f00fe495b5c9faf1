"""The 问题 tab of the project page (registered in ProblemsConfig.ready): the project's
problems that the reader may see, with the button to raise one."""

from typing import Any

from django.utils.translation import gettext_lazy

from tiaodu.core import clock
from tiaodu.core.scoping import Actor
from tiaodu.problems import selectors
from tiaodu.problems.permissions import may_raise, uses_direct_channel
from tiaodu.problems.raise_links import raise_url
from tiaodu.projects.detail_tabs import ProjectTab, register_tab
from tiaodu.projects.models import Project


def problems_context(actor: Actor, project: Project) -> dict[str, Any]:
    today = clock.today()
    problems = selectors.mark_deadlines(list(selectors.project_problems(actor, project)), today)
    return {
        "problems": problems,
        "can_raise": may_raise(actor, project),
        "raise_url": raise_url(project),
        "owner": uses_direct_channel(actor, project),
        "today": today,
    }


def register() -> None:
    register_tab(
        ProjectTab(
            key="problems",
            label=gettext_lazy("Problems"),
            template="problems/_project_problems.html",
            context=problems_context,
            order=110,
        )
    )

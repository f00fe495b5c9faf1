"""The 督办通知 tab of the project page (registered in SupervisionConfig.ready): the notices
naming the project that the reader may see, and, for a dispatcher over the project, the
button that issues one about it."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from tiaodu.core import clock
from tiaodu.core.scoping import Actor
from tiaodu.projects.detail_tabs import ProjectTab, register_tab
from tiaodu.projects.models import Project
from tiaodu.supervision.notices import selectors
from tiaodu.supervision.notices.filters import with_overdue
from tiaodu.supervision.notices.permissions import covers_projects


def notices_context(actor: Actor, project: Project) -> dict[str, Any]:
    notices = with_overdue(selectors.project_notices(actor, project), clock.today())
    can_issue = covers_projects(actor, [project])
    return {
        "notices": list(notices),
        "can_issue": can_issue,
        "issue_url": f"{reverse('supervision:notice_create')}?project={project.pk}",
    }


def register() -> None:
    register_tab(
        ProjectTab(
            key="notices",
            label=gettext_lazy("Supervision notices"),
            template="supervision/_project_notices.html",
            context=notices_context,
            order=120,
        )
    )

"""Where instructions show beside what they are written on (registered in
SupervisionConfig.ready): the 批示 tab of the project page and a 批示 section of the
problem page and of the notice page. Each shows the instructions on the object the reader
may read and, for a leader who reaches the object, the link that writes one."""

from typing import Any
from urllib.parse import urlencode

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy

from tiaodu.core import clock
from tiaodu.core.page_sections import PageSection, register_section
from tiaodu.core.scoping import Someone
from tiaodu.projects.detail_tabs import ProjectTab, register_tab
from tiaodu.projects.models import Project
from tiaodu.supervision.instructions import selectors
from tiaodu.supervision.instructions.permissions import may_write_on
from tiaodu.supervision.instructions.subject_kinds import NOTICE, PROBLEM, PROJECT

TEMPLATE = "supervision/_instructions_box.html"


def box_context(actor: Someone, kind: str, obj: models.Model) -> dict[str, Any]:
    """The instructions on the object the actor reads, and whether (and where) it writes
    one."""
    found = selectors.with_overdue(selectors.on_object(actor, kind, obj.pk), clock.today())
    return {
        "instructions": list(found),
        "can_write": may_write_on(actor, obj),
        "write_url": reverse("supervision:instruction_create")
        + "?"
        + urlencode({"on": kind, "id": obj.pk}),
    }


def _section(kind: str) -> Any:
    def context(actor: Someone, obj: models.Model) -> dict[str, Any] | None:
        found = box_context(actor, kind, obj)
        # Nothing to read and nothing to write: the page shows no empty box.
        return found if found["instructions"] or found["can_write"] else None

    return context


def project_context(actor: Someone, project: Project) -> dict[str, Any]:
    return box_context(actor, PROJECT, project)


def register() -> None:
    register_tab(
        ProjectTab(
            key="instructions",
            label=gettext_lazy("Instructions"),
            template=TEMPLATE,
            context=project_context,
            order=125,
        )
    )
    register_section(
        PageSection(
            page="problems.problem",
            name="instructions",
            template="supervision/_instructions_section.html",
            context=_section(PROBLEM),
        )
    )
    register_section(
        PageSection(
            page="supervision.notice",
            name="instructions",
            template="supervision/_instructions_section.html",
            context=_section(NOTICE),
        )
    )

"""The 集中开工 tab of the project page (registered in CampaignsConfig.ready): the batches
the project's plan entries are in, read through the project's scope, so that a reporter
sees its project's batch though it does not open the batch pages."""

from typing import Any

from django.utils.translation import gettext_lazy

from tiaodu.campaigns import selectors
from tiaodu.campaigns.permissions import reads_batches
from tiaodu.core.scoping import Actor
from tiaodu.projects.detail_tabs import ProjectTab, register_tab
from tiaodu.projects.models import Project


def batch_context(actor: Actor, project: Project) -> dict[str, Any]:
    return {
        "batch_entries": selectors.project_batch_entries(actor, project),
        "opens_batches": reads_batches(actor),
    }


def register() -> None:
    register_tab(
        ProjectTab(
            key="batch",
            label=gettext_lazy("Groundbreaking batch"),
            template="campaigns/_project_batch.html",
            context=batch_context,
            order=140,
        )
    )

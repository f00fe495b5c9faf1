"""The campaigns' tabs of the project page (registered in CampaignsConfig.ready): 集中开工,
the batches the project's plan entries are in, read through the project's scope, so that a
reporter sees its project's batch though it does not open the batch pages; and 清单调整,
its lists as they stood over time and the list changes it took part in (on either side)."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

from tiaodu.campaigns import changes, selectors
from tiaodu.campaigns.models import ListChange
from tiaodu.campaigns.permissions import may_propose_change, reads_batches, reads_changes
from tiaodu.core import clock
from tiaodu.core.scoping import Actor
from tiaodu.projects.detail_tabs import ProjectTab, register_tab
from tiaodu.projects.models import ListMembership, Project


def batch_context(actor: Actor, project: Project) -> dict[str, Any]:
    return {
        "batch_entries": selectors.project_batch_entries(actor, project),
        "opens_batches": reads_batches(actor),
    }


def lists_context(actor: Actor, project: Project) -> dict[str, Any]:
    memberships = (
        ListMembership.objects.filter(annual_plan__project=project)
        .select_related("key_project_list", "annual_plan")
        .order_by("-annual_plan__year", "key_project_list__name", "start")
    )
    found = ListChange.objects.filter(
        Q(outgoing__project=project) | Q(incoming__project=project)
    ).select_related("key_list", "to_list", "outgoing__project", "incoming__project", "proposed_by")
    rows = list(found)
    for change in rows:
        change.summary = changes.summary(change)  # type: ignore[attr-defined]
    this_year = clock.today().year
    plans = list(project.plans.filter(year__gte=this_year).order_by("-year"))
    return {
        "memberships": memberships,
        "list_changes": rows,
        "opens_changes": reads_changes(actor),
        "proposable": [plan for plan in plans if may_propose_change(actor, plan)],
        "this_year": this_year,
    }


def register() -> None:
    register_tab(
        ProjectTab(
            key="lists",
            label=gettext_lazy("Lists over time"),
            template="campaigns/_project_lists.html",
            context=lists_context,
            order=145,
        )
    )
    register_tab(
        ProjectTab(
            key="batch",
            label=gettext_lazy("Groundbreaking batch"),
            template="campaigns/_project_batch.html",
            context=batch_context,
            order=140,
        )
    )

"""The links to the raise page: its address for a project (and a report), which the 问题 tab
of the project page shows, and the report page's button, registered in ProblemsConfig.ready
through `reporting.report_links`."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tiaodu.core.scoping import Actor
from tiaodu.problems.permissions import may_raise
from tiaodu.projects.models import Project
from tiaodu.reporting.models import Report
from tiaodu.reporting.report_links import ReportLink


def raise_url(project: Project, report: Report | None = None) -> str:
    url = f"{reverse('problems:raise')}?project={project.pk}"
    return f"{url}&report={report.pk}" if report is not None else url


def report_link(actor: Actor, report: Report) -> ReportLink | None:
    """The report page's button "raise a problem from this report" (for who may raise)."""
    if not may_raise(actor, report.project):
        return None
    return ReportLink(
        label=_("Raise a problem from this report"),
        url=raise_url(report.project, report),
        icon="alert-triangle",
        testid="raise-problem-from-report",
    )

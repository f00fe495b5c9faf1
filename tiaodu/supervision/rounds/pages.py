"""What the field-round pages share: the link to a problem's page."""

from django.urls import NoReverseMatch, reverse

from tiaodu.problems.models import Problem


def problem_url(problem: Problem | None) -> str:
    """The problem's page in the ledger, once the problems app offers one; empty before."""
    if problem is None:
        return ""
    try:
        return reverse("problems:detail", args=[problem.pk])
    except NoReverseMatch:
        return ""

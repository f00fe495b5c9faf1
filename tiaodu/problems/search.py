"""The problems of the global search (`core.search`) and the ledger among the pages whose
filters users save (`core.saved_filters`), registered in `ProblemsConfig.ready`.

A problem is found by the words of its title, its description or its project's name, or by
its number (#12), within the actor's scope: the ledger's own selector and text filter
(`selectors.problem_ledger`), so that the "more" link into the ledger lists the same rows.
"""

from typing import cast
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tiaodu.core.saved_filters import FilterPage, register_page
from tiaodu.core.scoping import Actor, Someone
from tiaodu.core.search import Hit, Searcher, register_searcher
from tiaodu.problems import selectors
from tiaodu.problems.models import Problem
from tiaodu.problems.permissions import reads_ledger
from tiaodu.projects.permissions import reads_business_data

LEDGER = "problems.ledger"


def find_problems(actor: Someone, words: str) -> QuerySet[Problem]:
    if not reads_business_data(actor):
        return Problem.objects.none()
    # A business role is held by a signed-in user only.
    return selectors.problem_ledger(cast(Actor, actor), text=words)


def problem_hit(problem: Problem) -> Hit:
    return Hit(
        title=problem.title,
        url=reverse("problems:detail", args=[problem.pk]),
        detail=f"{problem.project.name} · {problem.get_status_display()}",
        badge=f"#{problem.pk}",
    )


def ledger_url(actor: Someone, words: str) -> str:
    if not reads_ledger(actor):
        return ""
    return f"{reverse('problems:ledger')}?{urlencode({'q': words})}"


def register() -> None:
    register_searcher(
        Searcher(
            key="problems",
            label=_("Problems"),
            icon="alert-triangle",
            allowed=reads_business_data,
            find=find_problems,
            hit=problem_hit,
            list_url=ledger_url,
            order=20,
        )
    )
    register_page(FilterPage(key=LEDGER, label=_("Problem ledger"), url_name="problems:ledger"))

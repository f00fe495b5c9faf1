"""A task force's members see everything reached through its projects (DOMAIN.md §8): the
problems and the reports of its projects, and none of the others' (`projects.visibility`)."""

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tiaodu.accounts import services as account_services
from tiaodu.problems.choices import ProblemStatus
from tiaodu.problems.selectors import problems_visible_to
from tiaodu.projects import services as project_services
from tiaodu.reporting import services as reporting_services
from tiaodu.reporting.models import Period
from tiaodu.reporting.selectors import reports_visible_to
from tiaodu.testing import TODAY, make_user, problem_in


@pytest.fixture
def tina(world: Any) -> Any:
    """A member of p1's task force who signs in and holds no role."""
    user = make_user("tina", None, None)
    member = account_services.create_person(actor=None, name="田娜", user=user)
    head = account_services.create_person(actor=None, name="王班长")
    project_services.save_task_force(
        actor=world.alice,
        name="码头专班",
        head=head,
        members=[member],
        projects=[world.projects["p1"]],
    )
    return user


def test_a_member_sees_the_problems_and_reports_of_its_projects_only(
    world: Any, tina: Any, client: Any
) -> None:
    mine = problem_in(world, ProblemStatus.REPORTED, project="p1")
    other = problem_in(world, ProblemStatus.REPORTED, project="p6")
    assert list(problems_visible_to(tina)) == [mine]
    reporting_services.open_periods(today=TODAY)
    october = Period.objects.get(cycle="monthly", start__year=2026, start__month=10)
    reports = []
    for key in ("p1", "p6"):
        report = reporting_services.open_draft(
            actor=world.rita, plan=world.plans[key], period=october, today=october.due_date
        )
        reporting_services.update_draft(actor=world.rita, report=report, investment=Decimal(10))
        reports.append(report)
    assert list(reports_visible_to(tina)) == [reports[0]]
    client.force_login(tina)
    assert client.get(reverse("problems:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("problems:detail", args=[other.pk])).status_code == 404
    # Nobody else's scope grew: bob (unit B, 崂山区) sees neither problem.
    assert list(problems_visible_to(world.bob)) == []

"""Raising a problem: from the project page's 问题 tab, from a progress report (the report
page's button, which the problem ledger adds), and the owner unit's direct channel.

Personas: rita (reporter of unit A: p1, p6) raises and uses the direct channel; dora
(黄岛区 dispatcher) and sam (service officer of p3) raise; leo (leader of p1) and hank
(市住建局) read but do not raise; bob (unit B) does not find p1.
"""

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tiaodu.core.models import AuditEvent
from tiaodu.problems.choices import ProblemCategory, ProblemLevel, ProblemSource, ProblemStatus
from tiaodu.problems.models import Problem
from tiaodu.reporting import services as reporting_services
from tiaodu.reporting.models import Period, Report
from tiaodu.testing import TODAY, assert_nothing_written, problem_in

pytestmark = pytest.mark.django_db

RAISE = reverse("problems:raise")
DIRECT = reverse("problems:direct")
FIELDS = {"category": ProblemCategory.FUNDING, "title": "配套资金未到位", "description": "三千万元"}


def _tab(world: Any, key: str = "p1") -> str:
    return f"{world.projects[key].get_absolute_url()}?tab=problems"


def test_the_problems_tab_lists_the_projects_problems(client: Any, world: Any) -> None:
    mine = problem_in(world, ProblemStatus.ASSIGNED)
    problem_in(world, ProblemStatus.REPORTED, project="p6")
    client.force_login(world.rita)
    response = client.get(_tab(world))
    assert response.status_code == 200
    assert [problem.pk for problem in response.context["problems"]] == [mine.pk]
    html = response.content.decode()
    assert 'data-testid="tab-problems"' in html
    assert f'href="{RAISE}?project={world.projects["p1"].pk}"' in html
    assert 'data-testid="raise-problem"' in html
    assert "用地指标未落实" in html and "2026-11-19" in html


@pytest.mark.parametrize(("who", "button"), [("leo", False), ("dora", True), ("alice", True)])
def test_only_who_may_raise_gets_the_button(
    client: Any, world: Any, who: str, button: bool
) -> None:
    client.force_login(getattr(world, who))
    html = client.get(_tab(world)).content.decode()
    assert ('data-testid="raise-problem"' in html) is button
    status = client.get(f"{RAISE}?project={world.projects['p1'].pk}").status_code
    assert status == (200 if button else 404)


def test_raising_from_the_project_page(client: Any, world: Any) -> None:
    client.force_login(world.dora)
    url = f"{RAISE}?project={world.projects['p1'].pk}"
    form = client.get(url).context["form"]
    assert "direct" not in form.fields and "project" not in form.fields
    response = client.post(url, FIELDS)
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "problems:detail", args=[problem.pk]
    )
    assert (problem.source, problem.level, problem.raised_by, problem.description) == (
        ProblemSource.PROJECT_PAGE,
        ProblemLevel.DISTRICT,
        world.dora,
        "三千万元",
    )


def test_the_owner_may_tick_the_direct_channel(client: Any, world: Any) -> None:
    client.force_login(world.rita)
    url = f"{RAISE}?project={world.projects['p1'].pk}"
    assert "direct" in client.get(url).context["form"].fields
    client.post(url, {**FIELDS, "direct": "on"})
    problem = Problem.objects.get()
    assert (problem.source, problem.level) == (ProblemSource.DIRECT, ProblemLevel.CITY)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "  "}, "title"),
        ({"category": ""}, "category"),
        ({"category": "weather"}, "category"),
        ({"title": "长" * 201}, "title"),
    ],
)
def test_a_bad_problem_is_not_raised(
    client: Any, world: Any, data: dict[str, str], field: str
) -> None:
    client.force_login(world.rita)
    with assert_nothing_written(Problem, AuditEvent):
        response = client.post(f"{RAISE}?project={world.projects['p1'].pk}", {**FIELDS, **data})
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert 'data-testid="form-errors"' in response.content.decode()


def test_the_raise_page_of_a_project_out_of_scope_is_not_found(client: Any, world: Any) -> None:
    client.force_login(world.bob)
    with assert_nothing_written(Problem, AuditEvent):
        url = f"{RAISE}?project={world.projects['p1'].pk}"
        assert client.get(url).status_code == 404
        assert client.post(url, FIELDS).status_code == 404
        assert client.get(f"{RAISE}?project=abc").status_code == 400
        assert client.get(RAISE).status_code == 404


@pytest.fixture
def report(world: Any) -> Report:
    """rita's October report of p1, submitted, naming a problem."""
    reporting_services.open_periods(today=TODAY)
    october = Period.objects.get(cycle="monthly", start__month=10, start__year=2026)
    draft = reporting_services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    reporting_services.update_draft(
        actor=world.rita,
        report=draft,
        investment=Decimal("10.00"),
        new_problems="二期用地指标尚未下达。",
    )
    return reporting_services.submit_report(actor=world.rita, report=draft, today=TODAY)


def test_the_report_page_offers_to_raise_a_problem(client: Any, world: Any, report: Report) -> None:
    page = reverse("reporting:report", args=[report.pk])
    expected = f"{RAISE}?project={world.projects['p1'].pk}&amp;report={report.pk}"
    for who in ("rita", "dora"):
        client.force_login(getattr(world, who))
        html = client.get(page).content.decode()
        assert 'data-testid="raise-problem-from-report"' in html and expected in html
    client.force_login(world.leo)
    html = client.get(page).content.decode()
    assert 'data-testid="raise-problem-from-report"' not in html


def test_raising_from_a_report(client: Any, world: Any, report: Report) -> None:
    client.force_login(world.dora)
    url = f"{RAISE}?project={world.projects['p1'].pk}&report={report.pk}"
    response = client.get(url)
    assert response.context["form"].initial["description"] == "二期用地指标尚未下达。"
    assert "direct" not in response.context["form"].fields
    client.post(url, {**FIELDS, "description": "二期用地指标尚未下达。"})
    problem = Problem.objects.get()
    assert (problem.source, problem.report) == (ProblemSource.REPORT, report)
    html = client.get(reverse("problems:detail", args=[problem.pk])).content.decode()
    assert reverse("reporting:report", args=[report.pk]) in html


def test_a_report_of_another_project_is_not_found(client: Any, world: Any, report: Report) -> None:
    client.force_login(world.rita)
    with assert_nothing_written(Problem, AuditEvent):
        url = f"{RAISE}?project={world.projects['p6'].pk}&report={report.pk}"
        assert client.get(url).status_code == 404
        assert client.post(url, FIELDS).status_code == 404
        client.force_login(world.sam)  # sees p3, not p1's report
        url = f"{RAISE}?project={world.projects['p3'].pk}&report={report.pk}"
        assert client.get(url).status_code == 404


def test_the_direct_channel(client: Any, world: Any) -> None:
    client.force_login(world.rita)
    response = client.get(f"{DIRECT}?project={world.projects['p6'].pk}")
    assert response.status_code == 200
    form = response.context["form"]
    assert [project.name for project in form.fields["project"].queryset] == [
        "港湾物流园仓储中心",
        "黄岛港区集装箱码头三期",
    ]
    assert str(form.initial["project"]) == str(world.projects["p6"].pk)
    # A project of another unit is not among the choices.
    with assert_nothing_written(Problem, AuditEvent):
        response = client.post(DIRECT, {**FIELDS, "project": world.projects["p3"].pk})
        assert "project" in response.context["form"].errors
    response = client.post(DIRECT, {**FIELDS, "project": world.projects["p6"].pk})
    problem = Problem.objects.get()
    assert (problem.project, problem.source, problem.level) == (
        world.projects["p6"],
        ProblemSource.DIRECT,
        ProblemLevel.CITY,
    )


@pytest.mark.parametrize("who", ["dora", "hank", "sam", "leo", "sysadmin"])
def test_the_direct_channel_is_the_owners(client: Any, world: Any, who: str) -> None:
    client.force_login(getattr(world, who))
    assert client.get(DIRECT).status_code == 404

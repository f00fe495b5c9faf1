"""The department handler's side: the inbox page, the home panel, and the projects behind
the problems assigned to the department (DOMAIN.md §2).

hank handles 市住建局. p1's problem is assigned to it on Thursday 5 November 2026 (due 19
November), p2's with a deadline of Tuesday 10 November; p6's stays reported; p3's goes to
the transport bureau, which hank does not handle.
"""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from tiaodu.accounts import org_units
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.problems import services
from tiaodu.problems.choices import ProblemCategory, ProblemStatus
from tiaodu.projects.selectors import plans_visible_to, projects_visible_to
from tiaodu.testing import problem_in

pytestmark = pytest.mark.django_db

INBOX = reverse("problems:inbox")


@pytest.fixture
def assigned(world: Any) -> dict[str, Any]:
    transport = org_units.create_org_unit(
        actor=None, name="青岛市交通运输局", kind=OrgUnitKind.DEPARTMENT, parent=world.city
    )
    p2 = services.raise_problem(
        actor=world.alice,
        project=world.projects["p2"],
        category=ProblemCategory.DEMOLITION,
        title="安置房地块征收未完成",
    )
    p2 = services.assign_problem(
        actor=world.alice,
        problem=p2,
        department=world.housing_bureau,
        deadline=dt.date(2026, 11, 10),
    )
    p3 = services.raise_problem(
        actor=world.bob,
        project=world.projects["p3"],
        category=ProblemCategory.UTILITIES,
        title="电力接入未完成",
    )
    services.assign_problem(actor=world.alice, problem=p3, department=transport)
    return {
        "p1": problem_in(world, ProblemStatus.ASSIGNED),
        "p2": p2,
        "p6": problem_in(world, ProblemStatus.REPORTED, project="p6"),
        "transport": transport,
    }


def test_the_inbox_overdue_first_with_working_days(client: Any, world: Any, assigned: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 12, 1, tzinfo=dt.UTC), tick=False):
        client.force_login(world.hank)
        response = client.get(INBOX)
    assert response.status_code == 200
    rows = response.context["problems"]
    assert [problem.pk for problem in rows] == [assigned["p2"].pk, assigned["p1"].pk]
    assert [(p.past_deadline, p.working_days_left, p.working_days_overdue) for p in rows] == [
        (True, -2, 2),  # due Tuesday the 10th: Wednesday and Thursday past
        (False, 5, 0),  # due Thursday the 19th: 13, 16, 17, 18, 19
    ]
    assert response.context["overdue"] == 1
    html = response.content.decode()
    assert html.count('data-testid="inbox-row"') == 2
    assert html.index("安置房地块征收未完成") < html.index("用地指标未落实")
    assert 'data-testid="inbox-overdue"' in html


def test_the_inbox_shows_what_waits_for_confirmation(
    client: Any, world: Any, assigned: Any
) -> None:
    services.start_problem(actor=world.hank, problem=assigned["p1"])
    services.resolve_problem(actor=world.hank, problem=assigned["p1"], resolution="已下达")
    client.force_login(world.hank)
    response = client.get(INBOX)
    assert [p.pk for p in response.context["problems"]] == [assigned["p2"].pk]
    assert [p.pk for p in response.context["awaiting"]] == [assigned["p1"].pk]


@pytest.mark.parametrize("who", ["alice", "rita", "leo", "sysadmin"])
def test_the_inbox_is_the_handlers(client: Any, world: Any, who: str) -> None:
    client.force_login(getattr(world, who))
    assert client.get(INBOX).status_code == 404


def test_the_home_panels(client: Any, world: Any, assigned: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 12, 1, tzinfo=dt.UTC), tick=False):
        client.force_login(world.hank)
        html = client.get(reverse("core:home")).content.decode()
        assert 'data-testid="home-inbox"' in html and "安置房地块征收未完成" in html
        assert f'href="{INBOX}"' in html
        client.force_login(world.alice)
        response = client.get(reverse("core:home"))
    # The dispatcher's home is the dashboard: the ledger is its problems chart, as of the
    # same date as its other figures (analytics/tests/test_one_number.py).
    assert 'data-testid="chart-problems"' in response.content.decode()
    client.force_login(world.rita)
    html = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="home-problems"' not in html
    assert 'data-testid="home-owner-problems"' in html
    assert 'data-testid="home-to-confirm"' not in html
    services.start_problem(actor=world.hank, problem=assigned["p1"])
    services.resolve_problem(actor=world.hank, problem=assigned["p1"], resolution="已下达")
    response = client.get(reverse("core:home"))
    panel = next(p for p in response.context["panels"] if "resolved" in p)
    assert ([p.pk for p in panel["resolved"]], panel["open_count"]) == ([assigned["p1"].pk], 1)
    assert 'data-testid="home-to-confirm"' in response.content.decode()


def test_the_menu_per_role(client: Any, world: Any) -> None:
    menus = {}
    for who in ("alice", "leo", "hank", "rita", "sam"):
        client.force_login(getattr(world, who))
        items = client.get(reverse("core:home")).context["nav_items"]
        menus[who] = {item.url_name for item in items if item.url_name.startswith("problems:")}
    assert menus == {
        "alice": {"problems:ledger"},
        "leo": {"problems:ledger"},
        "hank": {"problems:inbox"},
        "rita": {"problems:direct"},
        "sam": set(),
    }


def test_the_handler_sees_the_projects_of_the_problems_of_his_department(
    client: Any, world: Any, assigned: Any
) -> None:
    names = {key: world.projects[key].name for key in ("p1", "p2", "p3", "p6")}
    # p2 through its responsible unit, p1 through its problem; not p6 (reported) nor p3.
    assert set(projects_visible_to(world.hank).values_list("name", flat=True)) == {
        names["p1"],
        names["p2"],
    }
    assert {plan.project.name for plan in plans_visible_to(world.hank)} == {
        names["p1"],
        names["p2"],
    }
    assert projects_visible_to(world.hank).count() == 2  # no row twice
    client.force_login(world.hank)
    assert client.get(world.projects["p1"].get_absolute_url()).status_code == 200
    tab = client.get(f"{world.projects['p1'].get_absolute_url()}?tab=problems")
    assert [p.pk for p in tab.context["problems"]] == [assigned["p1"].pk]
    assert not tab.context["can_raise"]
    for key in ("p3", "p6"):
        assert client.get(world.projects[key].get_absolute_url()).status_code == 404
    # Given to another department, the problem takes its project with it.
    services.assign_problem(
        actor=world.dora, problem=assigned["p1"], department=assigned["transport"]
    )
    assert client.get(world.projects["p1"].get_absolute_url()).status_code == 404
    # Others see what they saw.
    assert set(projects_visible_to(world.rita).values_list("name", flat=True)) == {
        names["p1"],
        names["p6"],
    }

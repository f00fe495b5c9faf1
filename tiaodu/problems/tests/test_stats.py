"""The per-department table and the blockers ranking, with exact numbers, and their pages.

The story, in November 2026 (Chinese working days; 7–8 and 14–15 are weekends):
- A, p1 (10,000 万元): assigned to 市住建局 on Thu 5th (due 19th), resolved on Wed 11th —
  4 working days (6, 9, 10, 11), on time.
- B, p6 (60,000): assigned to 市住建局 on the 5th, due Tue 10th, resolved Fri 13th — 6
  working days, late; then closed.
- C, p3 (30,000): assigned to the transport bureau on the 5th, due Fri 20th, still open.
- D, p2 (20,000): assigned to 市住建局 on the 5th (due 19th), in progress.
- E, p5 (50,000): raised on Mon 16th, not assigned.
Seen on Monday 23 November: C and D are overdue; A and B resolved.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from tiaodu.accounts import org_units
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.problems import services, stats
from tiaodu.problems.choices import ProblemCategory

pytestmark = pytest.mark.django_db

SEEN = dt.date(2026, 11, 23)


@contextmanager
def on(day: dt.date) -> Iterator[None]:
    """09:00 in Shanghai on the day."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(1, 0), tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def story(world: Any) -> dict[str, Any]:
    transport = org_units.create_org_unit(
        actor=None, name="青岛市交通运输局", kind=OrgUnitKind.DEPARTMENT, parent=world.city
    )
    housing = world.housing_bureau

    def raised(key: str, title: str, actor: Any = None) -> Any:
        return services.raise_problem(
            actor=actor or world.alice,
            project=world.projects[key],
            category=ProblemCategory.LAND,
            title=title,
        )

    found: dict[str, Any] = {"transport": transport}
    with on(dt.date(2026, 11, 5)):
        for name, key, department, deadline in (
            ("A", "p1", housing, None),
            ("B", "p6", housing, dt.date(2026, 11, 10)),
            ("C", "p3", transport, dt.date(2026, 11, 20)),
            ("D", "p2", housing, None),
        ):
            problem = raised(key, f"问题{name}")
            found[name] = services.assign_problem(
                actor=world.alice, problem=problem, department=department, deadline=deadline
            )
        for name in ("A", "B", "D"):
            services.start_problem(actor=world.hank, problem=found[name])
    with on(dt.date(2026, 11, 11)):
        services.resolve_problem(actor=world.hank, problem=found["A"], resolution="已解决")
    with on(dt.date(2026, 11, 13)):
        services.resolve_problem(actor=world.hank, problem=found["B"], resolution="已解决")
        services.close_problem(actor=world.alice, problem=found["B"])
    with on(dt.date(2026, 11, 16)):
        found["E"] = raised("p5", "问题E")
    return found


def test_the_department_table(world: Any, story: Any) -> None:
    rows, totals = stats.department_table(world.alice, today=SEEN)
    table = [
        (
            str(row.department),
            row.received,
            row.resolved,
            row.on_time,
            row.on_time_rate,
            row.average_days,
            row.overdue,
        )
        for row in rows
    ]
    assert table == [
        ("青岛市住房和城乡建设局", 3, 2, 1, "50.00", Decimal("5.0"), 1),
        ("青岛市交通运输局", 1, 0, 0, None, None, 1),
    ]
    assert (totals.received, totals.resolved, totals.on_time_rate, totals.average_days) == (
        4,
        2,
        "50.00",
        Decimal("5.0"),
    )
    assert totals.overdue == 2


def test_the_department_table_in_scope_and_by_year(world: Any, story: Any) -> None:
    rows, _totals = stats.department_table(world.dora, today=SEEN)  # 黄岛区: p1, p6, p2
    assert [(str(row.department), row.received, row.overdue) for row in rows] == [
        ("青岛市住房和城乡建设局", 3, 1)
    ]
    assert stats.department_table(world.alice, year=2025, today=SEEN)[0] == []
    assert len(stats.department_table(world.alice, year=2026, today=SEEN)[0]) == 2
    # Before the deadlines nothing is overdue.
    _rows, totals = stats.department_table(world.alice, today=dt.date(2026, 11, 10))
    assert totals.overdue == 0


def test_the_blockers_ranking(world: Any, story: Any) -> None:
    ranked = stats.blockers(world.alice, today=SEEN)
    assert [
        (blocker.problem.title, blocker.investment, blocker.days_blocked, blocker.weight)
        for blocker in ranked
    ] == [
        ("问题C", Decimal("30000.00"), 18, Decimal("540000.00")),
        ("问题D", Decimal("20000.00"), 18, Decimal("360000.00")),
        ("问题E", Decimal("50000.00"), 7, Decimal("350000.00")),
    ]
    assert [b.problem.title for b in stats.blockers(world.alice, today=SEEN, limit=2)] == [
        "问题C",
        "问题D",
    ]
    assert [b.problem.title for b in stats.blockers(world.dora, today=SEEN)] == ["问题D"]


def test_the_pages(client: Any, world: Any, story: Any) -> None:
    with on(SEEN):
        client.force_login(world.alice)
        response = client.get(reverse("problems:departments"))
        assert response.status_code == 200 and response.context["year"] == 2026
        html = response.content.decode()
        assert html.count('data-testid="department-row"') == 2
        assert "50.00%" in html and "5.0" in html
        assert client.get(f"{reverse('problems:departments')}?year=").context["year"] is None
        assert client.get(f"{reverse('problems:departments')}?year=1999").context["year"] is None
        response = client.get(reverse("problems:blockers"))
        html = response.content.decode()
        assert html.count('data-testid="blocker-row"') == 3
        assert 'data-testid="weight">540,000<' in html
        assert 'data-testid="days-blocked">18<' in html
        client.force_login(world.lena)  # 崂山区 leader: p3 only
        response = client.get(reverse("problems:blockers"))
        assert [b.problem.title for b in response.context["blockers"]] == ["问题C"]

"""The demo's 百日会战 and task forces (one load of the demo as of 6 December 2026, without
reports, serves both: the tests only read it).

百日会战: last year's finished with its final comparison kept, this year's copied from it
and running on the demo's date, over the key-project lists with Suihua's targets.

Task forces: one per municipal key project of the year (as the list stood in the spring),
headed by its sponsoring (or municipal) leader, and named in the ledger export's 专班班长
column."""

import datetime as dt
from collections.abc import Iterator
from io import BytesIO, StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from openpyxl import load_workbook

from tiaodu.accounts.models import User
from tiaodu.campaigns.models import Campaign
from tiaodu.demo.campaigns import window
from tiaodu.projects import lists as key_lists
from tiaodu.projects.models import KeyProjectList, Project, TaskForce
from tiaodu.testing import rolled_back

AS_OF = dt.date(2026, 12, 6)

# The tests only read the demo: one load serves them all, in one test process.
pytestmark = pytest.mark.xdist_group("demo-campaigns-and-taskforces")


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """The demo without reports, loaded once for the module and rolled back after it."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), rolled_back(), override_settings(MEDIA_ROOT=media):
        call_command(
            "load_demo", "--projects", "40", "--year", "2026", "--as-of", AS_OF.isoformat(),
            "--without", "reports", stdout=StringIO(),
        )  # fmt: skip
        yield


def test_the_window_is_a_hundred_days_around_the_demos_date() -> None:
    assert window(2026, AS_OF) == (dt.date(2026, 9, 2), dt.date(2026, 12, 10))
    assert window(2025, AS_OF) == (dt.date(2025, 9, 2), dt.date(2025, 12, 10))
    assert window(2026, dt.date(2026, 2, 1)) == (dt.date(2026, 1, 1), dt.date(2026, 2, 5))


@pytest.mark.django_db
def test_last_years_campaign_ended_and_this_years_runs(demo: None) -> None:
    last, current = Campaign.objects.order_by("year")
    assert (last.year, current.year) == (2025, 2026)
    assert current.copied_from == last and current.name == "2026年重点项目百日会战"
    assert last.final is not None and last.final["as_of"] == "2025-12-10"
    assert current.final is None and current.start <= AS_OF <= current.end
    assert [t.indicator for t in current.targets.all()] == [
        "start_rate", "completion_rate", "start_rate", "funds_spent_rate"
    ]  # fmt: skip
    subsets = {t.subset_list.name for t in current.targets.all() if t.subset_list is not None}
    assert subsets == {"专项债券项目"}
    assert sorted(current.lists.values_list("name", flat=True)) == ["市重点项目", "省重点项目"]
    # The trend of the days gone by: one day in ten and the last one.
    days = list(current.days.values_list("day", flat=True))
    assert days[0] == current.start and days[-1] == AS_OF and len(days) == 11
    latest = current.days.order_by("day").last()
    assert latest is not None
    assert set(latest.values) == {str(t.pk) for t in current.targets.all()}


@pytest.mark.django_db
def test_each_municipal_key_project_has_a_task_force_with_a_head(demo: None) -> None:
    # The list as it stood in the spring, when the task forces were set up (the campaign's
    # list changes came later).
    spring = key_lists.plan_ids_on(
        dt.date(2026, 3, 1), [KeyProjectList.objects.get(year=2026, name="市重点项目").pk]
    )
    municipal = Project.objects.filter(plans__in=spring).distinct()
    led = municipal.exclude(sponsoring_leader=None, municipal_leader=None)
    forces = TaskForce.objects.select_related("head")
    assert forces.count() == led.count() > 0
    for force in forces:
        (project,) = force.projects.all()
        assert force.head_id in (project.sponsoring_leader_id, project.municipal_leader_id)
        assert force.name == f"{project.name}专班" and force.duties
    client = Client()
    client.force_login(User.objects.get(username="dispatcher"))
    response = client.get("/projects/export.xlsx", {"year": 2026})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    name, head = rows[0].index("项目名称"), rows[0].index("专班班长")
    heads = {row[name]: row[head] for row in rows[1:]}
    for force in forces:
        assert heads[force.projects.get().name] == force.head.name

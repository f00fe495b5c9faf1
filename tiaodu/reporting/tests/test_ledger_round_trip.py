"""The ledger's year-to-date figure is the one the library knows on the export's date: the
ledger's own plus the approved reports since. Importing the export back changes nothing,
whatever date the ledger figure was stated on; a different figure restates it as of the
export's date, and the reports before that date stop adding to it."""

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from tiaodu.projects.figure_conditions import ytd_completed
from tiaodu.projects.ledger.importer import apply_import, plan_import
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting.models import Period
from tiaodu.reporting.tests.test_project_page import _approved, _ledger, _unlock
from tiaodu.testing import TODAY, assert_nothing_written

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_today() -> Any:
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC), tick=False):
        yield


EXPORTED = dt.date(2026, 10, 31)


def _known(plan: AnnualPlan, day: dt.date) -> Decimal:
    return AnnualPlan.objects.annotate(known=ytd_completed(day)).get(pk=plan.pk).known


def test_the_known_figure_goes_out_and_comes_back_unchanged(
    world: Any, periods: dict[int, Period], client: Any, tmp_path: Any
) -> None:
    plan = _ledger(world, "1000", dt.date(2026, 8, 31))
    _unlock(world, periods[9])
    _approved(world, periods[9], "200")
    _approved(world, periods[10], "50.5")
    client.force_login(world.alice)
    response = client.get(reverse("projects:export"), {"year": 2026, "as_of": EXPORTED})
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    ytd = headers.index("本年累计完成投资(万元)\n截至2026-10-31")
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == plan.project.name)
    assert row[ytd] == 1250.5

    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)
    with assert_nothing_written(AnnualPlan):
        checked = plan_import(actor=world.alice, source=path, year=2026)
    assert checked.as_of == EXPORTED
    assert checked.counts == {"new": 0, "updated": 0, "unchanged": 6}

    # A different figure restates it as of the export's date.
    workbook = load_workbook(path)
    for cells in workbook.active.iter_rows(min_row=2):
        if cells[2].value == plan.project.name:
            cells[ytd].value = 1300
    workbook.save(path)
    changed = plan_import(actor=world.alice, source=path, year=2026)
    assert changed.counts == {"new": 0, "updated": 1, "unchanged": 5}
    [row_plan] = [r for r in changed.rows if r.status == "updated"]
    assert row_plan.changes == [("ytd_completed", "1,250.50", "1,300.00")]
    apply_import(actor=world.alice, plan=changed)
    plan.refresh_from_db()
    assert (plan.ytd_completed, plan.ytd_as_of) == (Decimal("1300.00"), EXPORTED)
    assert _known(plan, EXPORTED) == Decimal("1300.00")


def test_an_entry_known_from_reports_only_comes_back_unchanged(
    world: Any, periods: dict[int, Period], client: Any, tmp_path: Any
) -> None:
    """No ledger ever stated p1's figure; its approved reports did: the export writes their
    sum, and importing it back restates nothing."""
    plan = world.plans["p1"]
    assert plan.ytd_as_of is None
    _approved(world, periods[10], "300")
    client.force_login(world.alice)
    response = client.get(reverse("projects:export"), {"year": 2026, "as_of": EXPORTED})
    sheet = load_workbook(io.BytesIO(response.content)).active
    ytd = [cell.value for cell in sheet[1]].index("本年累计完成投资(万元)\n截至2026-10-31")
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == plan.project.name)
    assert row[ytd] == 300
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)
    with assert_nothing_written(AnnualPlan):
        checked = plan_import(actor=world.alice, source=path, year=2026)
    assert checked.counts == {"new": 0, "updated": 0, "unchanged": 6}

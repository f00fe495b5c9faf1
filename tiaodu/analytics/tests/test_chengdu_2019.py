"""The figures Chengdu published for January–August 2019 (seed 003), reproduced exactly.

A ledger whose rows add up to the published aggregates (chengdu_2019.py) goes in through
`import_ledger`, as a site's own ledger would; `stats --json` must then print the
published figures to the last digit.
"""

import io
import json

import pytest
from django.core.management import call_command

from tiaodu.accounts import org_units
from tiaodu.accounts import services as account_services
from tiaodu.accounts.models import OrgUnit
from tiaodu.core.roles import Role
from tiaodu.projects.models import AnnualPlan, Project

from .chengdu_2019 import AS_OF, CITY, YEAR, write_ledger


@pytest.fixture
def chengdu(db, tmp_path):
    city, _created, _renamed = org_units.setup_regions(actor=None, region_code=CITY)
    dispatcher = account_services.create_user(
        actor=None, username="chengdu", password="Fagaiwei#2019"
    )
    account_services.assign_role(actor=None, user=dispatcher, role=Role.DISPATCHER, org_unit=city)
    counties = list(
        OrgUnit.objects.filter(parent=city).order_by("region_code").values_list("name", flat=True)
    )
    assert len(counties) == 20  # from the national table
    ledger = write_ledger(tmp_path / "成都市2019年重点项目台账.xlsx", counties)
    output = io.StringIO()
    call_command(
        "import_ledger",
        str(ledger),
        "--year",
        str(YEAR),
        "--as-of",
        AS_OF.isoformat(),
        "--actor",
        "chengdu",
        stdout=output,
    )
    assert Project.objects.count() == AnnualPlan.objects.filter(year=YEAR).count() == 1105
    return city


def stats(*args: str) -> dict:
    output = io.StringIO()
    call_command(
        "stats", "--year", str(YEAR), "--as-of", AS_OF.isoformat(), "--json", *args, stdout=output
    )
    return json.loads(output.getvalue())


def test_the_published_figures(chengdu):
    figures = stats("--region", CITY)
    assert figures["year"] == 2019
    assert figures["as_of"] == "2019-08-31"
    assert figures["scope"] == {"region": CITY, "level": None, "list": None}
    assert figures["projects"] == 1105
    assert figures["total_investment"] == "358346500.00"  # 35834.65亿
    assert figures["annual_plan"] == "46069900.00"  # 4606.99亿
    assert figures["ytd_completed"] == "35680500.00"  # 3568.05亿
    assert figures["completion_rate"] == "77.45"
    assert figures["time_progress"] == "66.67"
    assert figures["new_start"] == {"planned": 308, "started": 215, "rate": "69.81"}
    assert figures["in_statistics"] == {
        "due": 902,
        "included": 0,
        "rate": "0.00",
        "new_in_period": 0,
    }
    assert figures["completed"] == {"count": 47, "total_investment": "4377600.00"}
    assert figures["expected_completion"] == {"count": 107, "total_investment": "9902200.00"}
    assert figures["reserve"] == {
        "count": 110,
        "by_stage": {
            "agreement_signed": 71,
            "proposal_feasibility": 18,
            "approval_land_planning": 11,
            "preliminary_design": 3,
            "pre_construction": 7,
        },
    }
    assert (figures["should_start"], figures["should_complete"], figures["lagging"]) == (0, 0, 0)


def test_the_provincial_projects(chengdu):
    provincial = stats("--region", CITY)["by_level"]["provincial"]
    assert provincial["projects"] == 144
    assert provincial["ytd_completed"] == "13383000.00"  # 1338.3亿
    assert provincial["new_start"] == {"planned": 33, "started": 27, "rate": "81.82"}
    assert stats("--region", CITY, "--level", "provincial")["new_start"]["rate"] == "81.82"


def test_the_breakdowns_add_up(chengdu):
    figures = stats("--region", CITY)
    for key in ("by_level", "by_region", "by_category"):
        parts = figures[key].values()
        assert sum(part["projects"] for part in parts) == 1105, key
        assert sum(int(part["ytd_completed"].replace(".", "")) for part in parts) == 3568050000, key
    assert len(figures["by_region"]) == 20

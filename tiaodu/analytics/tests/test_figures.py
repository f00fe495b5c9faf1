"""The figure set of DOMAIN.md §4 on the statistics world (see conftest.py), exactly."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tiaodu.accounts import org_units
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.analytics.figure_cache import STAMPED
from tiaodu.analytics.figures import WHOLE_SITE, ScopeError, figure_set
from tiaodu.analytics.tests.conftest import AS_OF
from tiaodu.core.roles import Role
from tiaodu.projects import services
from tiaodu.testing import make_user

TOP_KEYS = [
    "year",
    "as_of",
    "scope",
    "projects",
    "total_investment",
    "annual_plan",
    "ytd_completed",
    "completion_rate",
    "time_progress",
    "new_start",
    "in_statistics",
    "completed",
    "expected_completion",
    "reserve",
    "should_start",
    "should_complete",
    "lagging",
    "cards",
    "bond_funds",
    "by_level",
    "by_region",
    "by_category",
    "by_list",
    "reporting",
    "problems",
    "notices",
]
STAGES = [
    "agreement_signed",
    "proposal_feasibility",
    "approval_land_planning",
    "preliminary_design",
    "pre_construction",
]

CITY: dict[str, Any] = {
    "projects": 6,
    "total_investment": "210000.00",
    "annual_plan": "30000.00",
    "ytd_completed": "10500.00",
    "completion_rate": "35.00",
    "time_progress": "66.67",
    "new_start": {"planned": 3, "started": 1, "rate": "33.33"},
    "in_statistics": {"due": 3, "included": 2, "rate": "66.67", "new_in_period": 0},
    "completed": {"count": 1, "total_investment": "40000.00"},
    "expected_completion": {"count": 1, "total_investment": "20000.00"},
    "reserve": {
        "count": 1,
        "by_stage": {
            "agreement_signed": 0,
            "proposal_feasibility": 0,
            "approval_land_planning": 0,
            "preliminary_design": 1,
            "pre_construction": 0,
        },
    },
    "should_start": 2,
    "should_complete": 1,
    "lagging": 1,
    # No card computed for August: every entry is without one.
    "cards": {"month": "2026-08", "blue": 0, "yellow": 0, "red": 0, "none": 6},
    # No entry has special-bond funds here (test_bond_funds_figures.py gives them some).
    "bond_funds": {"count": 0, "allotted": "0.00", "spent": "0.00", "spent_rate": None},
}
HUANGDAO: dict[str, Any] = {
    "projects": 3,
    "total_investment": "90000.00",
    "annual_plan": "6000.00",
    "ytd_completed": "2500.00",
    "completion_rate": "41.67",
    "time_progress": "66.67",
    "new_start": {"planned": 1, "started": 1, "rate": "100.00"},
    "in_statistics": {"due": 2, "included": 1, "rate": "50.00", "new_in_period": 0},
    "completed": {"count": 0, "total_investment": "0.00"},
    "expected_completion": {"count": 1, "total_investment": "20000.00"},
    "reserve": {"count": 1, "by_stage": CITY["reserve"]["by_stage"]},
    "should_start": 0,
    "should_complete": 1,
    "lagging": 1,
    "cards": {"month": "2026-08", "blue": 0, "yellow": 0, "red": 0, "none": 3},
    "bond_funds": CITY["bond_funds"],
}


def without_breakdowns(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in data.items()
        if not k.startswith("by_") and k not in {*TOP_KEYS[:3], "reporting", "problems", "notices"}
    }


def test_city_figures_exactly(stats: Any) -> None:
    data = figure_set(actor=stats.alice, year=2026, as_of=AS_OF)
    assert data["year"] == 2026
    assert data["as_of"] == "2026-08-31"
    assert data["scope"] == {"region": "370200", "level": None, "list": None}
    assert without_breakdowns(data) == CITY
    assert data["by_region"]["370211"] == HUANGDAO
    assert data["by_region"]["370212"]["projects"] == 2
    assert data["by_region"]["370212"]["completed"] == {"count": 1, "total_investment": "40000.00"}
    assert data["by_region"]["370202"]["should_start"] == 1
    assert data["by_region"]["370203"]["projects"] == 0
    assert data["by_level"]["provincial"]["projects"] == 1
    assert data["by_level"]["provincial"]["completion_rate"] == "75.00"
    assert data["by_level"]["municipal"]["projects"] == 5
    assert data["by_level"]["municipal"]["ytd_completed"] == "9000.00"
    assert data["by_category"]["industry"]["projects"] == 1
    assert data["by_category"]["infrastructure"]["lagging"] == 1
    assert data["by_category"]["other"]["projects"] == 4
    assert data["by_list"] == {"市重点项目": data["by_list"]["市重点项目"]}
    key_list = data["by_list"]["市重点项目"]
    assert (key_list["projects"], key_list["total_investment"]) == (3, "60000.00")
    assert key_list["new_start"] == {"planned": 2, "started": 1, "rate": "50.00"}
    # The regions' parts add up to the whole.
    assert sum(row["projects"] for row in data["by_region"].values()) == 6


def test_every_key_in_order(stats: Any) -> None:
    data = figure_set(actor=stats.alice, year=2026, as_of=AS_OF)
    assert list(data) == TOP_KEYS
    assert list(data["scope"]) == ["region", "level", "list"]
    assert list(data["by_level"]) == ["provincial", "municipal", "county"]
    assert list(data["by_category"]) == [
        "industry",
        "infrastructure",
        "social",
        "ecology",
        "other",
    ]
    # Every direct child of the city, zeros included, in the tree's order.
    assert {"370202", "370203", "370211", "370212", "370213", "370214"} <= set(data["by_region"])
    group_keys = TOP_KEYS[3:-7]
    for name in ("by_level", "by_region", "by_category", "by_list"):
        for row in data[name].values():
            assert list(row) == group_keys
            assert list(row["new_start"]) == ["planned", "started", "rate"]
            assert list(row["in_statistics"]) == ["due", "included", "rate", "new_in_period"]
            assert list(row["completed"]) == ["count", "total_investment"]
            assert list(row["expected_completion"]) == ["count", "total_investment"]
            assert list(row["reserve"]) == ["count", "by_stage"]
            assert list(row["reserve"]["by_stage"]) == STAGES
            assert list(row["bond_funds"]) == ["count", "allotted", "spent", "spent_rate"]


def test_rates_with_a_zero_denominator_are_null(world: Any) -> None:
    data = figure_set(actor=world.alice, year=2026, as_of=dt.date(2026, 2, 28))
    assert data["in_statistics"] == {"due": 0, "included": 0, "rate": None, "new_in_period": 0}
    assert data["new_start"] == {"planned": 3, "started": 0, "rate": "0.00"}
    assert data["time_progress"] == "16.67"
    county = data["by_level"]["county"]
    assert county["projects"] == 0
    assert county["completion_rate"] is None
    assert county["new_start"]["rate"] is None
    assert county["total_investment"] == "0.00"


def test_nothing_for_a_year_without_plans(world: Any) -> None:
    data = figure_set(actor=world.alice, year=2019, as_of=dt.date(2019, 8, 31))
    assert data["projects"] == 0
    assert data["completion_rate"] is None
    assert data["by_list"] == {}


def test_amounts_round_half_up_and_rates_two_places(stats: Any) -> None:
    services.save_annual_plan(
        actor=stats.alice,
        project=stats.projects["p1"],
        year=2026,
        nature="new_start",
        level="provincial",
        planned_investment=Decimal("3.00"),
        ytd_completed=Decimal("2.00"),
    )
    data = figure_set(actor=stats.dora, year=2026, as_of=AS_OF, level="provincial")
    assert data["annual_plan"] == "3.00"
    assert data["completion_rate"] == "66.67"


def test_dora_sees_huangdao_only(stats: Any) -> None:
    data = figure_set(actor=stats.dora, year=2026, as_of=AS_OF)
    assert data["scope"]["region"] == "370211"
    assert without_breakdowns(data) == HUANGDAO
    # 黄岛区 has no districts below it: its own projects are keyed by its own code.
    assert list(data["by_region"]) == ["370211"]
    assert data["by_list"]["市重点项目"]["projects"] == 2
    # Another district's scope is out of hers: nothing.
    elsewhere = figure_set(actor=stats.dora, year=2026, as_of=AS_OF, region="370212")
    assert elsewhere["projects"] == 0
    assert elsewhere["total_investment"] == "0.00"


def test_reporter_sees_own_unit(stats: Any) -> None:
    data = figure_set(actor=stats.rita, year=2026, as_of=AS_OF)
    assert data["projects"] == 2  # p1 and p6 of unit A
    assert data["scope"]["region"] == "370200"
    assert data["by_region"]["370211"]["projects"] == 2


def test_administrators_see_nothing(stats: Any) -> None:
    for name in ("sysadmin", "secadmin", "auditor"):
        data = figure_set(actor=stats.users[name], year=2026, as_of=AS_OF)
        assert data["projects"] == 0


def test_whole_site_equals_the_city_dispatcher(stats: Any) -> None:
    assert figure_set(actor=WHOLE_SITE, year=2026, as_of=AS_OF) == figure_set(
        actor=stats.alice, year=2026, as_of=AS_OF
    )


def test_scope_by_level_and_list(stats: Any) -> None:
    data = figure_set(actor=stats.alice, year=2026, as_of=AS_OF, key_list="市重点项目")
    assert data["scope"] == {"region": "370200", "level": None, "list": "市重点项目"}
    assert data["projects"] == 3
    data = figure_set(actor=stats.alice, year=2026, as_of=AS_OF, level="municipal")
    assert data["projects"] == 5
    assert data["by_level"]["provincial"]["projects"] == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_of": dt.date(2025, 8, 31)}, "2025-08-31"),
        ({"region": "999999"}, "999999"),
        ({"level": "national"}, "national"),
        ({"key_list": "省百大"}, "省百大"),
    ],
)
def test_bad_parameters_are_named(world: Any, params: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {"year": 2026, "as_of": AS_OF, **params}
    with pytest.raises(ScopeError, match=message):
        figure_set(actor=world.alice, **arguments)


def add_projects(world: Any, count: int) -> None:
    for index in range(count):
        region = world.huangdao if index % 2 else world.laoshan
        owner = org_units.create_org_unit(
            actor=None, name=f"统计业主{index}", kind=OrgUnitKind.OWNER_UNIT, parent=region
        )
        project = services.create_project(
            actor=world.alice,
            name=f"统计项目{index}",
            region=region,
            owner_unit=owner,
            category=["industry", "social", "ecology"][index % 3],
            total_investment=Decimal(500 + index),
            actual_start=dt.date(2026, 2, 1) if index % 3 else None,
            plan={
                "year": 2026,
                "nature": ["new_start", "continuing", "reserve"][index % 3],
                "level": ["provincial", "municipal", "county"][index % 3],
                "reserve_stage": "agreement_signed" if index % 3 == 2 else "",
                "planned_investment": Decimal(100),
                "ytd_completed": Decimal(index),
                "ytd_as_of": dt.date(2026, 6, 30),
                # Every other one with special-bond funds, which a subquery reads.
                "bond_funds": Decimal(50 if index % 2 else 0),
                "bond_funds_spent": Decimal(index % 7 if index % 2 else 0),
            },
            lists=[world.key_list],
        )
        assert project.pk


def queries_of_figure_set(actor: Any) -> int:
    """The reads of the figure set (not, on PostgreSQL, the savepoint and the work_mem of
    `core.heavy_reads`, one each whatever the data)."""
    with CaptureQueriesContext(connection) as context:
        figure_set(actor=actor, year=2026, as_of=AS_OF)
    room = ("SAVEPOINT", "RELEASE SAVEPOINT", "SELECT set_config('work_mem'")
    return sum(not query["sql"].startswith(room) for query in context.captured_queries)


@override_settings(TIAODU_FIGURES_CACHE_SECONDS=0)  # the computation's own queries
@pytest.mark.parametrize("persona", ["alice", "dora", "rita"])
def test_queries_do_not_grow_with_projects(stats: Any, persona: str) -> None:
    actor = stats.users[persona]
    actor.scope_grants()  # the grants are read once per request, not per figure
    before = queries_of_figure_set(actor)
    add_projects(stats, 30)
    after = queries_of_figure_set(actor)
    assert before == after
    assert after == 12  # the library (7), reporting (0 without periods), problems (3), notices (2)


@pytest.mark.parametrize(("ytd", "lagging"), [("3250.39", 0), ("3250.38", 1)])
def test_lagging_at_exactly_ten_points_behind(stats: Any, ytd: str, lagging: int) -> None:
    """As of 09-30 (time progress 75%), 3,250.39 of 5,000.60 is exactly 65.00%: not more than
    10 points behind, so not lagging; a cent less is. Floating point gets the first wrong."""
    as_of = dt.date(2026, 9, 30)
    services.save_annual_plan(
        actor=stats.alice,
        project=stats.projects["p1"],
        year=2026,
        nature=stats.plans["p1"].nature,
        level="provincial",
        planned_investment=Decimal("5000.60"),
        ytd_completed=Decimal(ytd),
        ytd_as_of=as_of,
    )
    data = figure_set(actor=stats.alice, year=2026, as_of=as_of)
    assert data["by_level"]["provincial"]["completion_rate"] == "65.00"
    assert data["by_level"]["provincial"]["lagging"] == lagging


# The figure set is cached per reader, scope and language under the data's stamp.


def test_a_second_read_is_the_cached_set_and_reads_only_the_stamp(stats: Any) -> None:
    first = figure_set(actor=stats.alice, year=2026, as_of=AS_OF)
    with CaptureQueriesContext(connection) as context:
        second = figure_set(actor=stats.alice, year=2026, as_of=AS_OF)
    assert second == first
    sql = " ".join(query["sql"] for query in context.captured_queries)
    assert "GROUP BY" not in sql.upper()
    assert len(context.captured_queries) <= len(STAMPED) + 2  # the stamp, the grants


def test_a_second_dispatcher_of_the_region_reads_the_set_the_first_one_kept(stats: Any) -> None:
    second_dispatcher = make_user("alan", Role.DISPATCHER, stats.city)
    district_dispatcher = make_user("dan", Role.DISPATCHER, stats.huangdao)
    first = figure_set(actor=stats.alice, year=2026, as_of=AS_OF)
    with CaptureQueriesContext(connection) as context:
        second = figure_set(actor=second_dispatcher, year=2026, as_of=AS_OF)
    assert second == first
    assert "GROUP BY" not in " ".join(q["sql"] for q in context.captured_queries).upper()
    # A dispatcher of a district is another reader: its set is computed.
    with CaptureQueriesContext(connection) as context:
        figure_set(actor=district_dispatcher, year=2026, as_of=AS_OF)
    assert "GROUP BY" in " ".join(q["sql"] for q in context.captured_queries).upper()


def test_a_change_through_a_service_shows_at_the_next_read(stats: Any) -> None:
    before = figure_set(actor=stats.alice, year=2026, as_of=AS_OF)
    services.create_key_project_list(actor=stats.alice, name="专项债券项目", year=2026)
    services.save_annual_plan(
        actor=stats.alice,
        project=stats.projects["p1"],
        year=2026,
        nature=stats.plans["p1"].nature,
        level=stats.plans["p1"].level,
        planned_investment=Decimal("9999.00"),
    )
    after = figure_set(actor=stats.alice, year=2026, as_of=AS_OF)
    assert "专项债券项目" in after["by_list"] and "专项债券项目" not in before["by_list"]
    assert after["annual_plan"] != before["annual_plan"]


def test_each_reader_and_scope_has_its_own_set(stats: Any) -> None:
    city = figure_set(actor=stats.alice, year=2026, as_of=AS_OF)
    district = figure_set(actor=stats.dora, year=2026, as_of=AS_OF)
    provincial = figure_set(actor=stats.alice, year=2026, as_of=AS_OF, level="provincial")
    assert city["projects"] == 6
    assert district["projects"] < city["projects"]
    assert provincial["scope"]["level"] == "provincial"
    assert figure_set(actor=stats.alice, year=2026, as_of=AS_OF) == city


def test_the_labels_are_those_of_the_readers_language(stats: Any) -> None:
    from tiaodu.analytics.figures import compute, resolve_scope

    scope = resolve_scope(actor=stats.alice, year=2026, as_of=AS_OF)
    with translation.override("zh-hans"):
        chinese = compute(actor=stats.alice, scope=scope)
    with translation.override("en"):
        english = compute(actor=stats.alice, scope=scope)
    assert chinese.data == english.data
    assert [row.label for row in chinese.rows["by_level"]] != [
        row.label for row in english.rows["by_level"]
    ]


@pytest.mark.django_db
def test_the_figure_set_is_computed_with_room_to_sort(world: Any, settings: Any) -> None:
    """On PostgreSQL, in `core.heavy_reads.roomy`: work_mem raised for it alone."""
    settings.TIAODU_FIGURES_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as context:
        figure_set(actor=world.alice, year=2026, as_of=AS_OF)
    raised = [q["sql"] for q in context.captured_queries if "work_mem" in q["sql"]]
    assert len(raised) == (1 if connection.vendor == "postgresql" else 0)

"""One source of truth: a campaign's attainment equals the figure set's rates for the same
scope and date (the campaign's lists, level and region; DOMAIN.md §4 and §8)."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tiaodu.analytics.figures import WHOLE_SITE, figure_set
from tiaodu.analytics.tests.bonds import give_bond_funds, monthly_periods, past_report
from tiaodu.campaigns import services
from tiaodu.campaigns.attainment import attainment
from tiaodu.campaigns.choices import Indicator
from tiaodu.reporting import services as reporting_services
from tiaodu.scoring.tests.test_compute import ledger

AS_OF = dt.date(2026, 6, 30)
TARGETS = [
    services.TargetSpec(indicator=Indicator.START_RATE, threshold=Decimal(100)),
    services.TargetSpec(indicator=Indicator.COMPLETION_RATE, threshold=Decimal(80)),
    services.TargetSpec(indicator=Indicator.INCLUSION_RATE, threshold=Decimal(100)),
    services.TargetSpec(indicator=Indicator.COMPLETIONS, threshold=Decimal(1)),
    services.TargetSpec(indicator=Indicator.FUNDS_SPENT_RATE, threshold=Decimal(100)),
]


def bonds(world: Any) -> None:
    """Special-bond funds over three districts, on top of the ledger's figures (as of 06-30):
    p1 1,000 with 400 spent, p2 2,000 all spent, p3 (no ledger figure) 800 with June's
    approved report saying 200 spent, p5 500 with 100 spent."""
    give_bond_funds(world, "p1", "1000", "400")
    give_bond_funds(world, "p2", "2000", "2000")
    give_bond_funds(world, "p3", "800")
    give_bond_funds(world, "p5", "500", "100")
    june = monthly_periods()[6]
    reporting_services.record_past_reports(
        actor=None, entries=[past_report(world, "p3", june, "200")]
    )


def rates(data: dict[str, Any]) -> dict[str, str | None]:
    return {
        Indicator.START_RATE: data["new_start"]["rate"],
        Indicator.COMPLETION_RATE: data["completion_rate"],
        Indicator.INCLUSION_RATE: data["in_statistics"]["rate"],
        Indicator.COMPLETIONS: str(data["completed"]["count"]),
        Indicator.FUNDS_SPENT_RATE: data["bond_funds"]["spent_rate"],
    }


@pytest.mark.parametrize(
    "scope",
    [
        {},
        {"region": "huangdao"},
        {"level": "municipal"},
        {"list": True},
        {"region": "laoshan", "list": True},
    ],
)
def test_attainment_is_the_figure_sets(world: Any, scope: dict[str, Any]) -> None:
    ledger(world)
    bonds(world)
    region = getattr(world, scope["region"]) if "region" in scope else None
    campaign = services.create_campaign(
        actor=world.alice,
        name="2026年百日会战",
        year=2026,
        start=dt.date(2026, 4, 1),
        end=dt.date(2026, 7, 10),
        targets=TARGETS,
        lists=[world.key_list] if scope.get("list") else [],
        levels=[scope["level"]] if "level" in scope else [],
        regions=[region] if region else [],
    )
    found = attainment(campaign, AS_OF)
    expected = rates(
        figure_set(
            actor=WHOLE_SITE,
            year=2026,
            as_of=AS_OF,
            region=region,
            level=scope.get("level"),
            key_list=world.key_list if scope.get("list") else None,
        )
    )
    assert {target.target.indicator: target.overall.value for target in found.targets} == expected
    if not scope:
        # 400 + 2,000 + 200 + 100 of 4,300 spent.
        assert expected[Indicator.FUNDS_SPENT_RATE] == "62.79"
    # Each district's value is the figure set's for that district.
    for target in found.targets:
        for code, value in target.by_region.items():
            by_district = rates(
                figure_set(
                    actor=WHOLE_SITE,
                    year=2026,
                    as_of=AS_OF,
                    region=code,
                    level=scope.get("level"),
                    key_list=world.key_list if scope.get("list") else None,
                )
            )
            assert value.value == by_district[target.target.indicator], code

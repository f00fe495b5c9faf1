"""Campaigns: created by the site's dispatcher with checked targets, copied from last year's,
read per region, the final comparison kept as it stood, and the command's JSON."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from tiaodu.campaigns import services
from tiaodu.campaigns.attainment import holding_back
from tiaodu.campaigns.choices import Indicator
from tiaodu.campaigns.models import Campaign, Target
from tiaodu.campaigns.selectors import attainment_for
from tiaodu.core import clock
from tiaodu.projects import services as project_services
from tiaodu.scoring.tests.test_compute import ledger
from tiaodu.testing import assert_nothing_written

START = services.TargetSpec(indicator=Indicator.START_RATE, threshold=Decimal(100))
INVESTMENT = services.TargetSpec(indicator=Indicator.COMPLETION_RATE, threshold=Decimal(80))


def campaign(world: Any, **changes: Any) -> Campaign:
    values: dict[str, Any] = {
        "actor": world.alice,
        "name": "2026年百日会战",
        "year": 2026,
        "start": dt.date(2026, 4, 1),
        "end": dt.date(2026, 7, 10),
        "targets": [START, INVESTMENT],
    }
    values.update(changes)
    return services.create_campaign(**values)


def test_only_the_sites_dispatcher_runs_campaigns(world: Any) -> None:
    for name in ("dora", "leo", "rita", "hank", "sysadmin"):
        with pytest.raises(PermissionDenied), assert_nothing_written(Campaign, Target):
            campaign(world, actor=world.users[name])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"end": dt.date(2026, 3, 1)}, "end"),
        ({"end": dt.date(2027, 1, 10)}, "start"),
        ({"targets": []}, "targets"),
        (
            {"targets": [services.TargetSpec(indicator="speed", threshold=Decimal(1))]},
            "targets",
        ),
        (
            {
                "targets": [
                    services.TargetSpec(indicator=Indicator.START_RATE, threshold=Decimal(120))
                ]
            },
            "targets",
        ),
        ({"levels": ["national"]}, "levels"),
    ],
)
def test_bad_campaigns_are_refused(world: Any, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as refused, assert_nothing_written(Campaign, Target):
        campaign(world, **changes)
    assert field in refused.value.message_dict


def test_this_years_campaign_from_last_years(world: Any) -> None:
    last_list = project_services.create_key_project_list(actor=None, name="市重点项目", year=2025)
    last = services.create_campaign(
        actor=world.alice,
        name="2025年百日会战",
        year=2025,
        start=dt.date(2025, 8, 1),
        end=dt.date(2025, 11, 10),
        lists=[last_list],
        levels=["municipal"],
        targets=[START, services.TargetSpec(
            indicator=Indicator.COMPLETION_RATE, threshold=Decimal(100), subset_list=last_list
        )],
    )  # fmt: skip
    copied = services.copy_campaign(actor=world.alice, source=last, year=2026)
    assert copied.name == "2026年百日会战" and copied.copied_from == last
    assert (copied.start, copied.end) == (dt.date(2026, 8, 1), dt.date(2026, 11, 10))
    assert list(copied.lists.all()) == [world.key_list] and copied.levels == ["municipal"]
    assert [(t.indicator, t.threshold, t.subset_list) for t in copied.targets.all()] == [
        (Indicator.START_RATE, Decimal(100), None),
        (Indicator.COMPLETION_RATE, Decimal(100), world.key_list),
    ]


def test_a_district_reads_its_own_attainment(world: Any) -> None:
    ledger(world)
    found = campaign(world)
    whole = attainment_for(world.alice, found, dt.date(2026, 6, 30))
    district = attainment_for(world.dora, found, dt.date(2026, 6, 30))
    assert set(whole.targets[0].by_region) == {"370211", "370212", "370202"}
    assert set(district.targets[0].by_region) == {"370211"}
    # Its own overall: 黄岛区's entries only, as the whole campaign's 黄岛区 row says.
    for mine, all_of in zip(district.targets, whole.targets, strict=True):
        assert mine.overall.value == all_of.by_region["370211"].value


def test_the_final_comparison_is_kept_as_it_stood(world: Any) -> None:
    ledger(world)
    found = campaign(world)
    with clock.frozen(dt.date(2026, 7, 10)):
        assert services.keep_final_comparison(campaign=found) is None  # not over yet
    with clock.frozen(dt.date(2026, 7, 11)):
        kept = services.keep_final_comparison(campaign=found)
    assert kept is not None and kept["as_of"] == "2026-07-10"
    before = kept["targets"][0]["by_region"]
    # A project starts later: the kept comparison does not move.
    project_services.update_project(
        actor=world.alice, project=world.projects["p3"], actual_start=dt.date(2026, 7, 20)
    )
    with clock.frozen(dt.date(2026, 7, 21)):
        assert services.keep_final_comparison(campaign=found) is None
    found.refresh_from_db()
    assert found.final is not None and found.final["targets"][0]["by_region"] == before


def test_the_command_prints_the_json_form(world: Any) -> None:
    ledger(world)
    found = campaign(world)
    out = StringIO()
    call_command(
        "campaign_attainment", str(found.pk), "--as-of", "2026-06-30", "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert data["campaign"] == found.pk and data["as_of"] == "2026-06-30"
    start = data["targets"][0]
    assert start["indicator"] == "start_rate" and start["threshold"] == "100.00"
    assert set(start) == {
        "indicator", "subset", "comparison", "threshold", "value", "met", "by_region"
    }  # fmt: skip
    assert isinstance(start["met"], bool)
    assert all(set(row) == {"value", "met"} for row in start["by_region"].values())


def test_the_api_gives_the_command_s_json_as_the_caller_may_see_it(world: Any, client) -> None:
    ledger(world)
    found = campaign(world)
    url = f"/api/v1/campaigns/{found.pk}/attainment"
    client.force_login(world.alice)
    whole = client.get(url, {"as_of": "2026-06-30"}).json()
    out = StringIO()
    call_command(
        "campaign_attainment", str(found.pk), "--as-of", "2026-06-30", "--json", stdout=out
    )
    assert whole == json.loads(out.getvalue())
    client.force_login(world.dora)
    mine = client.get(url, {"as_of": "2026-06-30"}).json()
    assert set(mine["targets"][0]["by_region"]) == {"370211"}
    assert client.get(url, {"as_of": "June"}).status_code == 422
    client.force_login(world.rita)
    assert client.get(url, {"as_of": "2026-06-30"}).status_code == 404
    client.force_login(world.alice)
    assert client.get(f"/api/v1/campaigns/{found.pk + 99}/attainment").status_code == 404


def test_the_daily_round_records_the_day_and_keeps_the_final(world: Any) -> None:
    from tiaodu.campaigns import tasks
    from tiaodu.campaigns.models import CampaignDay

    ledger(world)
    found = campaign(world)
    with clock.frozen(dt.date(2026, 6, 30)):
        tasks.campaign_round.call()
        tasks.campaign_round.call()  # the same day again: one row, replaced
    (day,) = CampaignDay.objects.all()
    start = found.targets.get(indicator=Indicator.START_RATE)
    assert day.day == dt.date(2026, 6, 30)
    assert (
        day.values[str(start.pk)]
        == attainment_for(world.alice, found, day.day).targets[0].overall.value
    )
    with pytest.raises(ValidationError):
        services.record_day(campaign=found, day=dt.date(2026, 7, 11))
    with clock.frozen(dt.date(2026, 7, 11)):
        tasks.campaign_round.call()
    found.refresh_from_db()
    assert found.final is not None and CampaignDay.objects.count() == 1


def special_bonds(world: Any) -> None:
    """On top of the ledger (figures as of 30 June): p1 1,000 allotted with 400 spent, p2
    2,000 all spent, p3 (no ledger figure) 800 with June's approved report saying 200."""
    from tiaodu.reporting import services as reporting_services
    from tiaodu.reporting.history import PastReport
    from tiaodu.reporting.models import Period
    from tiaodu.testing import TODAY

    for key, funds, spent in (("p1", 1000, 400), ("p2", 2000, 2000), ("p3", 800, 0)):
        project_services.save_annual_plan(
            actor=world.alice,
            project=world.projects[key],
            year=2026,
            bond_funds=Decimal(funds),
            bond_funds_spent=Decimal(spent),
        )
    reporting_services.open_periods(today=TODAY)
    june = Period.objects.get(cycle="monthly", start=dt.date(2026, 6, 1))
    moment = clock.aware(dt.date(2026, 7, 2))
    reporting_services.record_past_reports(
        actor=None,
        entries=[
            PastReport(
                plan=world.plans["p3"],
                period=june,
                investment=Decimal(0),
                bond_funds_spent=Decimal(200),
                submitted_at=moment,
                submitted_by=world.bob,
                approved_at=moment + dt.timedelta(hours=3),
                approved_by=world.alice,
            )
        ],
    )


def test_the_special_bond_funds_spent_rate_and_what_holds_it_back(world: Any) -> None:
    """Suihua's "专项债券项目资金支出100%": the funds spent ÷ allotted over the list's entries
    with bond funds; the entries with funds not all spent hold it back."""
    ledger(world)
    special_bonds(world)
    target = services.TargetSpec(
        indicator=Indicator.FUNDS_SPENT_RATE, threshold=Decimal(100), subset_list=world.key_list
    )
    found = campaign(world, targets=[target])
    result = attainment_for(world.alice, found, dt.date(2026, 6, 30)).targets[0]
    # 400 + 2,000 + 200 of 3,800; 黄岛区 2,400 of 3,000; 崂山区 200 of 800.
    assert (result.overall.value, result.overall.met) == ("68.42", False)
    assert {code: value.value for code, value in result.by_region.items()} == {
        "370211": "80.00",
        "370212": "25.00",
    }
    held = holding_back(result.target, found, dt.date(2026, 6, 30))
    assert {plan.project.name for plan in held} == {
        world.projects["p1"].name,
        world.projects["p3"].name,
    }
    # Before June's report and the ledger's figures, nothing is spent yet.
    early = attainment_for(world.alice, found, dt.date(2026, 5, 31)).targets[0]
    assert early.overall.value == "0.00"
    assert holding_back(result.target, found, dt.date(2026, 5, 31)).count() == 3

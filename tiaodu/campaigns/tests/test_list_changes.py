"""List changes (动态调整): a replacement or promotion is proposed with a reason, a leader
approves or refuses it, and only then do the lists change, from that day. Last month's
figures, cards and campaign attainment stay as they were (the suite runs on SQLite and on
PostgreSQL); candidates are ranked by readiness and a district sees its own only."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from tiaodu.campaigns import candidates, changes
from tiaodu.campaigns.choices import ChangeAction, ChangeStatus
from tiaodu.campaigns.models import ListChange
from tiaodu.campaigns.tests.conftest import TODAY, entry
from tiaodu.core import clock
from tiaodu.core.models import AuditEvent, Notification
from tiaodu.projects import lists as key_lists
from tiaodu.projects import services as project_services
from tiaodu.projects.models import AnnualPlan, KeyProjectList, ListMembership
from tiaodu.testing import assert_nothing_written

LAST_MONTH = dt.date(2026, 10, 1)
LAST_MONTH_END = dt.date(2026, 10, 31)


def replace(world: Any, actor: str = "alice", incoming: str = "p7") -> ListChange:
    return changes.propose_replacement(
        actor=world.users[actor],
        outgoing=world.plans["p2"],
        key_list=world.key_list,
        incoming=world.plans[incoming],
        reason="黄岛区安置房建设项目土地未落实，年内无法开工。",
    )


def on_list_now(world: Any) -> set[str]:
    ids = set(
        key_lists.plan_ids_on(TODAY, [world.key_list.pk]).values_list("annual_plan_id", flat=True)
    )
    return {key for key, plan in world.plans.items() if plan.pk in ids}


def test_a_proposal_changes_nothing_until_a_leader_approves(city: Any) -> None:
    change = replace(city)
    assert change.status == ChangeStatus.PROPOSED
    assert on_list_now(city) == {"p1", "p2", "p3"}
    # The city's leader is told; the proposer is not.
    assert Notification.objects.filter(
        recipient=city.cleo, kind=changes.PROPOSED, link=changes.link(change)
    ).exists()
    approved = changes.decide(actor=city.cleo, change=change, action=ChangeAction.APPROVE)
    assert (approved.status, approved.effective, approved.decided_by) == (
        ChangeStatus.APPROVED,
        TODAY,
        city.cleo,
    )
    # Dated by the site's clock, so that a replayed past shows its own moments.
    assert approved.created_at == approved.decided_at == clock.now()
    assert on_list_now(city) == {"p1", "p3", "p7"}
    # The outgoing membership ends today; the incoming one starts today.
    out = ListMembership.objects.get(annual_plan=city.plans["p2"], key_project_list=city.key_list)
    assert (out.start, out.end) == (dt.date(2026, 1, 1), TODAY)
    new = ListMembership.objects.get(annual_plan=city.plans["p7"], key_project_list=city.key_list)
    assert (new.start, new.end) == (TODAY, None)
    # History on both projects, and the proposer hears of the decision.
    for key in ("p2", "p7"):
        events = AuditEvent.objects.filter(
            parent_type="projects.project",
            parent_id=str(city.projects[key].pk),
            object_type="campaigns.listchange",
        )
        assert events.count() == 2
    assert Notification.objects.filter(recipient=city.alice, kind=changes.DECIDED).exists()


def test_a_refusal_needs_a_note_and_leaves_the_lists(city: Any) -> None:
    change = replace(city)
    with pytest.raises(ValidationError) as error, assert_nothing_written(ListMembership):
        changes.decide(actor=city.cleo, change=change, action=ChangeAction.REFUSE)
    assert error.value.message_dict == {"note": ["请说明不予批准的理由。"]}
    refused = changes.decide(
        actor=city.cleo, change=change, action=ChangeAction.REFUSE, note="先督促土地手续。"
    )
    assert refused.status == ChangeStatus.REFUSED and refused.effective is None
    assert on_list_now(city) == {"p1", "p2", "p3"}
    # Decided once: a second decision is refused with a message.
    with pytest.raises(ValidationError):
        changes.decide(actor=city.cleo, change=change, action=ChangeAction.APPROVE)


@pytest.mark.parametrize("who", ["alice", "dora", "lena", "leo", "rita", "hank"])
def test_only_a_leader_covering_both_entries_decides(city: Any, who: str) -> None:
    change = replace(city)
    with pytest.raises(PermissionDenied), assert_nothing_written(ListMembership):
        changes.decide(actor=city.users[who], change=change, action=ChangeAction.APPROVE)


def test_the_proposer_may_withdraw(city: Any) -> None:
    change = replace(city, actor="dora")
    withdrawn = changes.decide(actor=city.dora, change=change, action=ChangeAction.WITHDRAW)
    assert withdrawn.status == ChangeStatus.WITHDRAWN
    assert on_list_now(city) == {"p1", "p2", "p3"}


@pytest.mark.parametrize(
    ("actor", "incoming", "error"),
    [
        ("rita", "p7", PermissionDenied),  # a reporter proposes nothing
        ("dora", "p8", PermissionDenied),  # 黄岛区's dispatcher: not a 崂山区 entry
        ("alice", "p3", ValidationError),  # already on the list
        ("alice", "p2", ValidationError),  # itself
    ],
)
def test_proposals_that_are_refused_write_nothing(
    city: Any, actor: str, incoming: str, error: type[Exception]
) -> None:
    with pytest.raises(error), assert_nothing_written(ListChange, ListMembership, AuditEvent):
        replace(city, actor=actor, incoming=incoming)


def test_a_reason_is_required_and_one_change_at_a_time(city: Any) -> None:
    with pytest.raises(ValidationError), assert_nothing_written(ListChange):
        changes.propose_replacement(
            actor=city.alice,
            outgoing=city.plans["p2"],
            key_list=city.key_list,
            incoming=city.plans["p7"],
            reason="  ",
        )
    replace(city)
    with pytest.raises(ValidationError), assert_nothing_written(ListChange):
        replace(city, incoming="p8")


def test_a_promotion_moves_the_entry_to_the_other_list(city: Any) -> None:
    provincial = project_services.create_key_project_list(actor=None, name="省重点项目", year=2026)
    change = changes.propose_promotion(
        actor=city.alice,
        outgoing=city.plans["p3"],
        key_list=city.key_list,
        to_list=provincial,
        reason="崂山科创园一期纳入省重点项目。",
    )
    changes.decide(actor=city.cleo, change=change, action=ChangeAction.APPROVE)
    lists = [item.name for item in AnnualPlan.objects.get(pk=city.plans["p3"].pk).current_lists]
    assert lists == ["省重点项目"]


@override_settings(TIAODU_LIST_CHANGES_NEED_APPROVAL=False)
def test_without_approval_the_change_is_made_at_once(city: Any) -> None:
    change = replace(city)
    assert change.status == ChangeStatus.APPROVED and change.decided_by == city.alice
    assert on_list_now(city) == {"p1", "p3", "p7"}


def test_candidates_are_ranked_by_readiness_within_the_band(city: Any) -> None:
    # p9 in 黄岛区 is as ready as can be: started, its procedures done; p10 too big.
    ready = entry(city, "p9", "黄岛绿色建材基地", city.huangdao, 19000)
    project_services.update_project(
        actor=city.alice, project=city.projects["p9"], actual_start=dt.date(2026, 10, 8)
    )
    entry(city, "p10", "黄岛国际会展中心", city.huangdao, 90000)
    ranked = candidates.candidates(city.alice, city.plans["p2"], city.key_list)
    names = [item.plan.pk for item in ranked]
    assert names[0] == ready.pk
    assert set(names) == {city.plans[key].pk for key in ("p7", "p8", "p9")}
    first = ranked[0]
    assert (first.start, first.stage, first.procedures) == (20, 30, 40)
    assert first.score == first.procedures + first.stage + first.start + first.investment


def test_a_district_sees_its_own_candidates_only(city: Any) -> None:
    """黄岛区's dispatcher replacing a 黄岛区 entry is offered 黄岛区's entries, never
    崂山区's p8; 崂山区's leader has no candidates to offer at all."""
    ranked = candidates.candidates(city.dora, city.plans["p2"], city.key_list)
    regions = {item.plan.project.region_id for item in ranked}
    assert regions == {city.huangdao.pk}
    assert city.plans["p8"].pk not in {item.plan.pk for item in ranked}
    assert candidates.candidates(city.lena, city.plans["p2"], city.key_list) == []


def test_the_library_filter_and_the_export_read_the_dated_lists(city: Any) -> None:
    change = replace(city)
    changes.decide(actor=city.cleo, change=change, action=ChangeAction.APPROVE)
    yesterday = TODAY - dt.timedelta(days=1)
    then = set(
        key_lists.plan_ids_on(yesterday, [city.key_list.pk]).values_list(
            "annual_plan_id", flat=True
        )
    )
    assert then == {city.plans[key].pk for key in ("p1", "p2", "p3")}
    # A list of another year is read at that year's nearer end.
    assert key_lists.day_within(2025, TODAY) == dt.date(2025, 12, 31)
    assert key_lists.day_within(2027, TODAY) == dt.date(2027, 1, 1)
    assert KeyProjectList.objects.get(pk=city.key_list.pk).memberships.count() == 4


def test_the_reporting_cycle_follows_the_list_as_it_stood(city: Any) -> None:
    """With 市重点项目 reporting every ten days, p7 joins it on 5 November: October's monthly
    period still expects p7 (and not p2, then on the ten-day list), so last month's
    completeness and cards stand; from November on p7 reports every ten days."""
    from tiaodu.reporting import board, selectors
    from tiaodu.reporting.models import CycleRule, Period

    CycleRule.objects.create(key_project_list=city.key_list, cycle="ten_day")
    changes.decide(actor=city.cleo, change=replace(city), action=ChangeAction.APPROVE)
    p2, p7 = city.plans["p2"], city.plans["p7"]
    before, after = dt.date(2026, 10, 31), dt.date(2026, 11, 10)
    assert selectors.cycles_of([(p7.pk, p7.level)], before) == {p7.pk: "monthly"}
    assert selectors.cycles_of([(p7.pk, p7.level)], after) == {p7.pk: "ten_day"}
    assert selectors.cycles_of([(p2.pk, p2.level)], before) == {p2.pk: "ten_day"}
    assert selectors.cycles_of([(p2.pk, p2.level)], after) == {p2.pk: "monthly"}
    october = Period.objects.create(
        cycle="monthly",
        start=dt.date(2026, 10, 1),
        end=before,
        due_date=dt.date(2026, 11, 3),
        lock_date=dt.date(2026, 11, 10),
    )
    expected = set(selectors.expected_plan_ids(october))
    assert p7.pk in expected and p2.pk not in expected
    assert set(board.expected_plans(october).values_list("pk", flat=True)) == expected
    assert set(selectors.expected_by_period([october])[october.pk]) == expected

"""Every (status, action) pair of a notice's workflow, for every persona; a refusal changes
nothing. 督办〔2026〕1号 is from alice to unit A about projects 1 and 6: alice (the city's
dispatcher) and dora (黄岛区's, which holds both projects) issue, rita (a reporter of unit A)
answers; bob (unit B), hank (市住建局), lena and sam take no part in it."""

import itertools
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tiaodu.core.models import AuditEvent
from tiaodu.core.workflow import TransitionRefused
from tiaodu.supervision.notices import permissions, services, workflow
from tiaodu.supervision.notices.choices import NoticeAction, NoticeStatus
from tiaodu.supervision.notices.models import Notice, NoticeResponse

pytestmark = pytest.mark.django_db

ISSUER, RECIPIENT = workflow.ISSUER, workflow.RECIPIENT
S, A = NoticeStatus, NoticeAction
# Written out here rather than read from the table, so a wrong row of the table fails:
# (status, action) → (status after, who may). Every pair not listed is refused to everyone.
EXPECTED: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    (S.ISSUED, A.RESPOND): (S.ANSWERED, frozenset({RECIPIENT})),
    (S.ISSUED, A.CLOSE): (S.CLOSED, frozenset({ISSUER})),
    (S.ANSWERED, A.CLOSE): (S.CLOSED, frozenset({ISSUER})),
}
# The audit events a step writes: an answer is a new response and the notice's update.
AUDITED: dict[str, int] = {A.RESPOND: 2, A.CLOSE: 1}
PLAYERS = {"alice": ISSUER, "dora": ISSUER, "rita": RECIPIENT}
OUTSIDERS = ("bob", "hank", "lena", "sam")


def _notice_in(world: Any, order: Notice, status: str) -> Notice:
    if status == S.ANSWERED:
        services.respond(actor=world.rita, notice=order, text="收到。", rectification_plan="月底前")
    elif status == S.CLOSED:
        services.close_notice(actor=world.alice, notice=order)
    return Notice.objects.get(pk=order.pk)


def _act(world: Any, who: str, notice: Notice, action: str) -> None:
    actor = getattr(world, who)
    if action == A.RESPOND:
        services.respond(actor=actor, notice=notice, text="已整改。", rectification_plan="已完成")
    else:
        services.close_notice(actor=actor, notice=notice)


def _state(notice: Notice) -> tuple[str, int, int]:
    return (
        Notice.objects.get(pk=notice.pk).status,
        NoticeResponse.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_relations_of_the_personas(world: Any, order: Notice) -> None:
    for who, part in PLAYERS.items():
        assert permissions.relations(getattr(world, who), order) == {part}
    for who in OUTSIDERS:
        assert permissions.relations(getattr(world, who), order) == frozenset()


@pytest.mark.parametrize(("status", "action"), list(itertools.product(S.values, A.values)))
def test_the_table_row_of_every_pair(status: str, action: str) -> None:
    expected = EXPECTED.get((status, action))
    for part in (ISSUER, RECIPIENT):
        if expected is not None and part in expected[1]:
            assert workflow.NOTICES.check({part}, status, action).target == expected[0]
        else:
            with pytest.raises(TransitionRefused):
                workflow.NOTICES.check({part}, status, action)


CASES = list(itertools.product(S.values, A.values, [*PLAYERS, *OUTSIDERS]))


@pytest.mark.parametrize(("status", "action", "who"), CASES)
def test_every_pair(world: Any, order: Notice, status: str, action: str, who: str) -> None:
    notice = _notice_in(world, order, status)
    expected = EXPECTED.get((status, action))
    part = PLAYERS.get(who)
    before = _state(notice)
    if expected is not None and part in expected[1]:
        _act(world, who, notice, action)
        assert _state(notice) == (
            expected[0],
            before[1] + (action == A.RESPOND),
            before[2] + AUDITED[action],
        )
        return
    # No such step from the status is a ValidationError; a step that is not the actor's,
    # a PermissionDenied.
    refusal = ValidationError if expected is None else PermissionDenied
    with pytest.raises(refusal):
        _act(world, who, notice, action)
    assert _state(notice) == before


def test_the_page_offers_each_party_its_buttons(world: Any, order: Notice) -> None:
    def offered(who: str, notice: Notice) -> list[str]:
        mine = permissions.relations(getattr(world, who), notice)
        return workflow.NOTICES.actions_for(mine, notice.status)

    assert offered("rita", order) == [A.RESPOND]
    assert offered("dora", order) == [A.CLOSE]
    assert offered("bob", order) == []
    answered = _notice_in(world, order, S.ANSWERED)
    assert offered("rita", answered) == []
    assert offered("alice", answered) == [A.CLOSE]

"""core.stamps: what is cached under a stamp of the data is read afresh after a change, not
after a sign-in or an export, and is kept per reader."""

from typing import Any

import pytest

from tiaodu.core import audit, stamps
from tiaodu.core.models import AuditAction

pytestmark = pytest.mark.django_db


def test_a_change_moves_the_stamp_and_a_sign_in_or_an_export_does_not(world: Any) -> None:
    before = stamps.stamp(())
    audit.record(actor=world.alice, action=AuditAction.SIGN_IN, instance=world.alice)
    audit.record(actor=world.alice, action=AuditAction.EXPORT, object_label="项目库")
    assert stamps.stamp(()) == before
    audit.record(
        actor=world.alice,
        action=AuditAction.UPDATE,
        instance=world.projects["p1"],
        changes={"name": ["旧名", "新名"]},
    )
    assert stamps.stamp(()) != before


def test_kept_until_the_stamp_moves_and_per_reader(world: Any) -> None:
    computed: list[str] = []

    def compute(who: str) -> str:
        computed.append(who)
        return f"figures of {who}"

    def read(user: Any) -> str:
        reader = stamps.reader_key(user)
        return stamps.cached("test", (reader,), (), 60, lambda: compute(user.username))

    assert read(world.alice) == read(world.alice) == "figures of alice"
    assert read(world.dora) == "figures of dora"
    assert computed == ["alice", "dora"]
    audit.record(actor=world.alice, action=AuditAction.CREATE, instance=world.projects["p2"])
    assert read(world.alice) == "figures of alice"
    assert computed == ["alice", "dora", "alice"]


def test_nothing_is_kept_for_zero_seconds(world: Any) -> None:
    computed: list[int] = []
    for _ in range(2):
        stamps.cached("test", (), (), 0, lambda: computed.append(1))
    assert computed == [1, 1]

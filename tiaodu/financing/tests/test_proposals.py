"""Owner units propose their needs for a draft edition; the dispatcher puts a proposal on
the list or leaves it out. Refusals write nothing."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tiaodu.core.models import AuditEvent
from tiaodu.financing import proposals, selectors, services
from tiaodu.financing.models import FinancingNeed, NeedProposal
from tiaodu.testing import assert_nothing_written

KEY = {"idempotency_key": "proposal-p1-bond-0001"}


def _proposed(world: Any, financing_list: Any, key: str, kind: str) -> NeedProposal:
    return proposals.propose_need(
        actor=world.bob, financing_list=financing_list, project=world.projects[key],
        amount=Decimal("3000"), kind=kind, purpose="科创园二期建设", stage="preliminary",
    )  # fmt: skip


def test_an_owner_unit_proposes_and_the_dispatcher_decides(world: Any) -> None:
    draft = services.create_list(actor=world.dora, region=world.huangdao, year=2026, number=6)
    rita, bob = Client(), Client()
    rita.force_login(world.rita)
    bob.force_login(world.bob)
    # A draft of 黄岛区 is open to rita (unit A builds there), not to bob (崂山区).
    assert bob.get(draft.get_absolute_url()).status_code == 404
    page = rita.get(draft.get_absolute_url()).content.decode()
    assert "提议本单位项目的融资需求" in page and "黄岛港区集装箱码头三期（黄岛区）" in page
    data = {
        "project": world.projects["p1"].pk, "kind": "bond", "amount": "3000",
        "stage": "construction", "purpose": "三期码头配套", **KEY,
    }  # fmt: skip
    url = f"/financing/{draft.pk}/proposals/add/"
    rita.post(url, data)
    rita.post(url, data)  # sent twice, proposed once
    [proposal] = NeedProposal.objects.all()
    assert (proposal.status, proposal.proposed_by, proposal.amount) == (
        "pending", world.rita, Decimal("3000.00")
    )  # fmt: skip
    # Bob's project is not of the list's region; rita may not propose unit B's project.
    written = (NeedProposal, FinancingNeed, AuditEvent)
    with assert_nothing_written(*written), pytest.raises(ValidationError) as outside:
        _proposed(world, draft, "p3", "fund")
    assert outside.value.message_dict == {"project": ["该项目不在清单所属区域内。"]}
    with assert_nothing_written(*written), pytest.raises(PermissionDenied):
        proposals.propose_need(
            actor=world.rita, financing_list=draft, project=world.projects["p2"],
            amount=Decimal("1"), kind="loan", purpose="安置房", stage="preliminary",
        )  # fmt: skip
    # Only the list's dispatchers decide; dora puts it on the list.
    with assert_nothing_written(*written), pytest.raises(PermissionDenied):
        proposals.include_proposal(actor=world.rita, proposal=proposal)
    dora = Client()
    dora.force_login(world.dora)
    assert "项目单位提议的融资需求" in dora.get(draft.get_absolute_url()).content.decode()
    dora.post(f"/financing/{draft.pk}/proposals/{proposal.pk}/include/")
    proposal.refresh_from_db()
    assert proposal.status == "included" and proposal.need is not None
    assert [(n.project.name, n.kind, n.amount) for n in selectors.needs_of(world.dora, draft)] == [
        ("黄岛港区集装箱码头三期", "bond", Decimal("3000.00"))
    ]
    with assert_nothing_written(*written), pytest.raises(ValidationError) as twice:
        proposals.decline_proposal(actor=world.dora, proposal=proposal)
    assert twice.value.messages == ["该提议已处理。"]

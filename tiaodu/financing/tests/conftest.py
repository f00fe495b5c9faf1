"""Two editions of the city's financing-needs list for the financing tests, compiled by
alice (the city's dispatcher) through the services, and two banks' accounts.

- 2026年第5期 (closed): p1 贷款 5,000 (answered by 青岛银行: 4,000), p3 债券 8,000 and
  p4 基金 3,000 (unanswered).
- 2026年第6期 (published): p1 贷款 6,000, p4 基金 3,000 and p6 股权 2,000.

So, from the 5th to the 6th: met p1 贷款 (5,000), dropped p3 债券 (8,000), carried p4
基金 (3,000), added p6 股权 (2,000). p1 and p6 are unit A's (rita), p3 unit B's (bob).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from tiaodu.core.roles import Role
from tiaodu.financing import services
from tiaodu.financing.models import FinancingAnswer, FinancingList, FinancingNeed
from tiaodu.testing import make_user


@dataclass
class Editions:
    fifth: FinancingList
    sixth: FinancingList
    answer: FinancingAnswer
    needs: dict[str, FinancingNeed]


def need(
    world: Any, financing_list: FinancingList, key: str, kind: str, amount: int
) -> FinancingNeed:
    return services.add_need(
        actor=world.alice,
        financing_list=financing_list,
        project=world.projects[key],
        amount=Decimal(amount),
        kind=kind,
        purpose="项目建设资金",
        stage="construction",
    )


def answer(
    actor: Any, on: FinancingNeed, amount: int, institution: str = "青岛银行"
) -> FinancingAnswer:
    return services.answer_need(
        actor=actor,
        need=on,
        institution=institution,
        amount=Decimal(amount),
        terms="5年期，LPR减20个基点",
        contact_person="王经理",
        contact_phone="0532-88886666",
    )


@pytest.fixture
def banks(world: Any) -> dict[str, Any]:
    """Two financial institutions' accounts (anchored at no unit)."""
    return {
        "bank": make_user("bank", Role.FINANCIAL_INSTITUTION, None),
        "bank2": make_user("bank2", Role.FINANCIAL_INSTITUTION, None),
    }


@pytest.fixture
def editions(world: Any, banks: dict[str, Any]) -> Editions:
    fifth = services.create_list(actor=world.alice, region=world.city, year=2026, number=5)
    p1_loan = need(world, fifth, "p1", "loan", 5000)
    need(world, fifth, "p3", "bond", 8000)
    need(world, fifth, "p4", "fund", 3000)
    fifth = services.act_on_list(actor=world.alice, financing_list=fifth, action="publish")
    given = answer(banks["bank"], p1_loan, 4000)
    fifth = services.act_on_list(actor=world.alice, financing_list=fifth, action="close")
    sixth = services.create_list(actor=world.alice, region=world.city, year=2026, number=6)
    needs = {
        "p1": need(world, sixth, "p1", "loan", 6000),
        "p4": need(world, sixth, "p4", "fund", 3000),
        "p6": need(world, sixth, "p6", "equity", 2000),
    }
    sixth = services.act_on_list(actor=world.alice, financing_list=sixth, action="publish")
    return Editions(fifth=fifth, sixth=sixth, answer=given, needs=needs)

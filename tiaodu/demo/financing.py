"""The demo city's financing-needs lists (融资需求清单), a part of the demo (`demo.parts`).

The city dispatcher compiles an edition every two months, through `financing.services`:
the edition before the as-of date's (published early in its first month, answered by the
demo bank, closed when the next one comes out) and the as-of date's own, published and
answered in part by the bank (`bank`, a financial institution's account). So the current
edition's page shows every kind of change since the previous one: needs met (answered),
dropped, carried over and added. An edition whose publishing day lies after the as-of date
is left out.
"""

import datetime as dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tiaodu.core import clock
from tiaodu.demo.library.spec import DemoSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.demo.problems.days import office_time
from tiaodu.financing import selectors, services
from tiaodu.financing.choices import FinancingKind, FinancingListAction, NeedStage
from tiaodu.financing.models import FinancingList, FinancingNeed
from tiaodu.projects.models import Project

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded

NAME = "financing"
BANK = "青岛银行股份有限公司"
PURPOSES = {
    FinancingKind.LOAN: "项目建设资金",
    FinancingKind.BOND: "申报专项债券资本金",
    FinancingKind.FUND: "引入产业基金",
    FinancingKind.EQUITY: "股权融资，引入战略投资者",
}
TERMS = (
    "5年期固定资产贷款，利率LPR减20个基点，项目收益权质押",
    "8年期项目贷款，宽限期2年，由区国资平台担保",
    "3年期流动资金贷款，信用方式",
)
CONTACTS = (("王建华", "0532-81858888"), ("刘晓燕", "13853208866"))


def _edition_day(year: int, number: int) -> dt.date:
    """The day an edition is published: the fifth of its first month."""
    return dt.date(year, 2 * number - 1, 5)


def _stage(project: Project, as_of: dt.date) -> str:
    if project.actual_completion is not None and project.actual_completion <= as_of:
        return NeedStage.OPERATION
    if project.actual_start is not None and project.actual_start <= as_of:
        return NeedStage.CONSTRUCTION
    return NeedStage.PRELIMINARY


def _amount(rng: random.Random, project: Project) -> Decimal:
    """A share of the project's total investment, in round hundreds of 万元."""
    share = Decimal(rng.choice((10, 15, 20, 30))) / 100
    return max(Decimal(500), (project.total_investment * share / 100).quantize(Decimal(1)) * 100)


def _answer(rng: random.Random, loaded: "Loaded", need: FinancingNeed) -> None:
    person, phone = rng.choice(CONTACTS)
    services.answer_need(
        actor=loaded.users["bank"],
        need=need,
        institution=BANK,
        amount=(need.amount * Decimal(rng.choice((6, 8, 10))) / 10).quantize(Decimal(1)),
        terms=rng.choice(TERMS),
        contact_person=person,
        contact_phone=phone,
    )


def _edition(
    rng: random.Random, loaded: "Loaded", year: int, number: int, needs: list[tuple[Project, str]]
) -> FinancingList:
    dispatcher = loaded.users["dispatcher"]
    day = _edition_day(year, number)
    with clock.frozen(office_time(rng, day - dt.timedelta(days=4))):
        financing_list = services.create_list(
            actor=dispatcher, region=loaded.root, year=year, number=number,
            note=_("Answer by the end of the second month; the owner units will call you."),
        )  # fmt: skip
        for project, kind in needs:
            services.add_need(
                actor=dispatcher, financing_list=financing_list, project=project,
                amount=_amount(rng, project), kind=kind, purpose=PURPOSES[FinancingKind(kind)],
                stage=_stage(project, day),
            )  # fmt: skip
    with clock.frozen(office_time(rng, day)):
        return services.act_on_list(
            actor=dispatcher, financing_list=financing_list, action=FinancingListAction.PUBLISH
        )


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    rng = random.Random(f"{spec.seed}:{NAME}")
    current = (spec.as_of.month + 1) // 2
    if _edition_day(spec.year, current) > spec.as_of:
        current -= 1
    if current < 2:
        return []
    projects = list(
        Project.objects.filter(region__path__startswith=loaded.root.path).order_by("pk")
    )
    if len(projects) < 11:
        return []
    chosen = rng.sample(projects, 11)
    kinds = [rng.choice(list(FinancingKind)).value for _project in chosen]
    earlier = list(zip(chosen[:7], kinds[:7], strict=True))
    # On the current edition again: the first (answered: met, still short) and two of the
    # unanswered (carried over); the other unanswered two are dropped; four are added.
    later = [earlier[0], earlier[3], earlier[4], *zip(chosen[7:], kinds[7:], strict=True)]
    previous = _edition(rng, loaded, spec.year, current - 1, earlier)
    with clock.frozen(
        office_time(rng, _edition_day(spec.year, current - 1) + dt.timedelta(days=12))
    ):
        for need in list(previous.needs.order_by("pk"))[:3]:
            _answer(rng, loaded, need)
    with clock.frozen(office_time(rng, _edition_day(spec.year, current) - dt.timedelta(days=1))):
        previous = services.act_on_list(
            actor=loaded.users["dispatcher"], financing_list=previous,
            action=FinancingListAction.CLOSE,
        )  # fmt: skip
    edition = _edition(rng, loaded, spec.year, current, later)
    answer_day = min(spec.as_of, _edition_day(spec.year, current) + dt.timedelta(days=7))
    with clock.frozen(office_time(rng, answer_day)):
        for need in list(edition.needs.order_by("pk"))[-2:]:
            _answer(rng, loaded, need)
    changes = selectors.comparison(loaded.users["dispatcher"], edition)
    return [
        _(
            "Financing-needs list %(title)s: %(needs)s needs, %(answers)s answered by the bank; "
            "since %(previous)s: %(met)s met, %(dropped)s dropped, %(carried)s carried over, "
            "%(added)s added"
        )
        % {
            "title": edition.title,
            "needs": edition.needs.count(),
            "answers": 2,
            "previous": previous.edition,
            "met": changes.met.count,
            "dropped": changes.dropped.count,
            "carried": changes.carried.count,
            "added": changes.added.count,
        }
    ]


PART = DemoPart(NAME, load)

"""The demo city's monthly judgment (`load_demo`): cards, a recomputation and proposals.

A part of the demo (`demo.parts`), after the field round. Each closed month since the
ledger's date (the months judged on the dispatch reports: `library.timeline.ledger_date`)
has its cards, computed by the system the day after the month's last lock date, as the
monthly task does. The statistics bureau then reports an inclusion date the ledger did not
carry, and the city dispatcher recomputes the last month with that reason. Of the last
month's supervision proposals the dispatcher issues a few through the notice form and
dismisses a few with a reason; the rest wait. Two of the last month's cards are appealed
(申诉) within the window, by an owner unit's reporter or the district's dispatcher, with a
site photo: the city dispatcher upholds one and revises the other.
Every step goes through the services with the clock set to its moment.
"""

import datetime as dt
import io
import random
from collections import Counter
from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils.translation import gettext as _

from tiaodu.accounts.models import User as Account
from tiaodu.core import clock
from tiaodu.core.roles import Role
from tiaodu.core.workdays import add_working_days
from tiaodu.demo.library.spec import DemoSpec
from tiaodu.demo.library.timeline import ledger_date
from tiaodu.demo.parts import DemoPart
from tiaodu.demo.photos import scene
from tiaodu.demo.problems.days import office_time
from tiaodu.projects import services as project_services
from tiaodu.scoring import appeals, proposals, services
from tiaodu.scoring.choices import AppealDecision, AppealStatus, Colour, ProposalStatus
from tiaodu.scoring.facts import month_periods
from tiaodu.scoring.models import Appeal, Card, Proposal
from tiaodu.scoring.permissions import may_appeal
from tiaodu.scoring.rules import month_end
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.supervision.notices.models import Notice

if TYPE_CHECKING:
    from tiaodu.accounts.models import User
    from tiaodu.demo.library.builder import Loaded

NAME = "evaluation"
ISSUED = 3
DISMISSED = 2
DISMISSALS = (
    "项目已于本月补报投资，下月复核。",
    "红牌系入统手续在途，统计局已受理，暂不督办。",
)


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def closed_months(year: int, as_of: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The months judged on the reports that are closed by `as_of` (their last lock date
    passed), each with the day its cards are computed (the day after that lock date)."""
    month = ledger_date(as_of).replace(day=1)
    found: list[tuple[dt.date, dt.date]] = []
    while month.year == year and month_end(month) < as_of:
        locks = [period.lock_date for period in month_periods(month)]
        computed_on = max(locks, default=month_end(month)) + dt.timedelta(days=1)
        if computed_on > as_of:
            break
        found.append((month, computed_on))
        month = _next_month(month)
    return found


def _recompute(rng: random.Random, month: dt.date, day: dt.date, dispatcher: "User") -> int:
    """A red card for want of an inclusion date: the bureau reports the date, the dispatcher
    enters it and computes the month again; how many cards changed."""
    cards = Card.objects.filter(month=month, colour=Colour.RED).select_related("project")
    candidates = [
        card
        for card in cards.order_by("project__name")
        if card.dimensions.get("statistics", {}).get("colour") == Colour.RED
        and all(
            judged.get("colour") != Colour.RED
            for name, judged in card.dimensions.items()
            if name != "statistics"
        )
    ]
    if not candidates:
        return 0
    card = rng.choice(candidates)
    started = card.project.actual_start
    assert started is not None
    with clock.frozen(office_time(rng, day)):
        project_services.update_project(
            actor=dispatcher,
            project=card.project,
            statistics_inclusion=min(month_end(month), started + dt.timedelta(days=20)),
        )
    with clock.frozen(office_time(rng, day) + dt.timedelta(hours=1)):
        outcome = services.compute_cards(
            actor=dispatcher,
            month=month,
            reason="市统计局补报入统日期（" + card.project.name + "），重新计算该月评价。",
        )
    return outcome.changed


def _decide(rng: random.Random, month: dt.date, day: dt.date, dispatcher: "User") -> Counter[str]:
    """Issue a few of the month's proposals and dismiss a few; the rest wait."""
    decided: Counter[str] = Counter()
    waiting = list(
        Proposal.objects.filter(month=month, status=ProposalStatus.OPEN)
        .exclude(kind__in=[NoticeKind.WARNING_LETTER, NoticeKind.INTERVIEW])
        .exclude(recipient_unit=None)
        .select_related("project", "recipient_unit")
        .order_by("kind", "project__name")
    )
    rng.shuffle(waiting)
    # Notices are numbered in the order they are issued: after the last one issued so far.
    last = Notice.objects.aggregate(last=Max("issued_at"))["last"]
    moment = (
        max(office_time(rng, day), last + dt.timedelta(minutes=10))
        if last
        else office_time(rng, day)
    )
    for proposal in waiting[:ISSUED]:
        moment += dt.timedelta(minutes=rng.randint(8, 30))
        initial = proposals.notice_initial(proposal)
        with clock.frozen(moment):
            proposals.issue_from_proposal(
                actor=dispatcher,
                proposal=proposal,
                kind=proposal.kind,
                recipient_unit=proposal.recipient_unit,
                projects=[proposal.project],
                subject=initial["subject"],
                body=initial["body"],
                requirements="请于期限内报送整改措施，并在下次调度中报告进展。",
                sponsoring_leader=proposal.project.sponsoring_leader,
            )
        decided["issued"] += 1
    for proposal, reason in zip(waiting[ISSUED : ISSUED + DISMISSED], DISMISSALS, strict=False):
        moment += dt.timedelta(minutes=rng.randint(5, 20))
        with clock.frozen(moment):
            proposals.dismiss_proposal(actor=dispatcher, proposal=proposal, reason=reason)
        decided["dismissed"] += 1
    return decided


def _bulletined(rng: random.Random, month: dt.date, day: dt.date, dispatcher: "User") -> None:
    """An earlier month's proposals, dismissed: its red projects were named in that month's
    bulletin instead of a notice each."""
    moment = office_time(rng, day + dt.timedelta(days=1))
    for proposal in Proposal.objects.filter(month=month, status=ProposalStatus.OPEN).order_by("pk"):
        moment += dt.timedelta(seconds=rng.randint(20, 90))
        with clock.frozen(moment):
            proposals.dismiss_proposal(
                actor=dispatcher,
                proposal=proposal,
                reason=f"已在{month.month}月调度通报中点名，不再单独发文。",
            )


# (the dimension the appeal disputes, its reason, the decision and the decision's reason)
APPEALS = (
    (
        "investment",
        "本月已完成投资，报表因系统故障晚报一天，投资完成率应按实际完成计算，附现场照片。",
        AppealDecision.UPHOLD,
        "评价以锁定日前已报送的数据为准，晚报数据计入下月评价，维持原评价。",
    ),
    (
        "statistics",
        "项目已于上月底办理入统，统计局回执见附件，请按已入统重新评价。",
        AppealDecision.REVISE,
        "经与市统计局核实，项目已于月末前入统，改评。",
    ),
)


def _appellant(card: Card, district: Account, reporters: dict[int, Account]) -> Account | None:
    """Who appeals the card: its owner unit's reporter, else the district's dispatcher."""
    unit = card.project.owner_unit_id
    if unit is not None:
        if unit not in reporters:
            found = Account.objects.filter(
                role_assignments__role=Role.REPORTER, role_assignments__org_unit_id=unit
            ).first()
            if found is not None:
                reporters[unit] = found
        if unit in reporters and may_appeal(reporters[unit], card):
            return reporters[unit]
    return district if may_appeal(district, card) else None


def _appeal(rng: random.Random, month: dt.date, as_of: dt.date, loaded: "Loaded") -> Counter[str]:
    """Two of the month's yellow and red cards appealed in their window, with a photo; the
    city dispatcher upholds the first and revises the second."""
    dispatcher, district = loaded.users["dispatcher"], loaded.users["district"]
    reporters: dict[int, Account] = {}
    cards = list(
        Card.objects.filter(month=month, colour__in=[Colour.YELLOW, Colour.RED])
        .select_related("project__owner_unit", "project__region", "rule_set")
        .order_by("project__name")
    )
    rng.shuffle(cards)
    done: Counter[str] = Counter()
    used: set[int] = set()
    for dimension, reason, outcome, decision in APPEALS:
        disputed = [
            card
            for card in cards
            if card.dimensions.get(dimension, {}).get("colour") in (Colour.YELLOW, Colour.RED)
        ]
        for card in [*disputed, *cards]:
            appellant = _appellant(card, district, reporters)
            raised_on = add_working_days(appeals.window_opens(card), rng.randint(1, 3))
            decided_on = add_working_days(raised_on, rng.randint(1, 2))
            if card.pk in used or appellant is None or decided_on > as_of:
                continue
            used.add(card.pk)
            photo = io.BytesIO()
            scene(f"appeal:{card.pk}").save(photo, "JPEG", quality=80)
            with clock.frozen(office_time(rng, raised_on)):
                appeal = appeals.raise_appeal(
                    actor=appellant,
                    card=card,
                    reason=reason,
                    files=[(photo, f"现场照片{card.month:%m}月.jpg")],
                )
            revised = Colour.BLUE if card.colour == Colour.YELLOW else Colour.YELLOW
            with clock.frozen(office_time(rng, decided_on)):
                appeals.decide_appeal(
                    actor=dispatcher,
                    appeal=appeal,
                    outcome=outcome,
                    reason=decision,
                    revised_colour=revised if outcome == AppealDecision.REVISE else None,
                )
            done[outcome] += 1
            break
    return done


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    rng = random.Random(f"{spec.seed}:{NAME}")
    dispatcher = loaded.users["dispatcher"]
    months = closed_months(spec.year, spec.as_of)
    for month, day in months:
        with clock.frozen(clock.aware(day) + dt.timedelta(hours=1)):
            services.compute_cards(actor=None, month=month, reason="月度自动评价")
    changed = decided = None
    for month, day in months[:-1]:
        _bulletined(rng, month, day, dispatcher)
    if months:
        last, day = months[-1]
        changed = _recompute(rng, last, day, dispatcher)
        decided = _decide(rng, last, min(spec.as_of, day + dt.timedelta(days=1)), dispatcher)
        _appeal(rng, last, spec.as_of, loaded)
    with clock.frozen(office_time(rng, spec.as_of)):
        proposals.propose_for_day(spec.as_of)
    colours = (
        Counter(Card.objects.filter(month=months[-1][0]).values_list("colour", flat=True))
        if months
        else Counter()
    )
    open_count = Proposal.objects.filter(status=ProposalStatus.OPEN).count()
    return [
        _(
            "Cards: %(months)s — in %(last)s blue %(blue)d, yellow %(yellow)d, red %(red)d; "
            "recomputed once (%(changed)d changed); proposals issued %(issued)d, dismissed "
            "%(dismissed)d, waiting %(open)d"
        )
        % {
            "months": "、".join(f"{month:%Y-%m}" for month, _day in months) or "—",
            "last": f"{months[-1][0]:%Y-%m}" if months else "—",
            "blue": colours[Colour.BLUE],
            "yellow": colours[Colour.YELLOW],
            "red": colours[Colour.RED],
            "changed": changed or 0,
            "issued": (decided or Counter())["issued"],
            "dismissed": (decided or Counter())["dismissed"],
            "open": open_count,
        },
        _("Card appeals: %(upheld)d upheld, %(revised)d revised, %(pending)d waiting")
        % {
            "upheld": Appeal.objects.filter(status=AppealStatus.UPHELD).count(),
            "revised": Appeal.objects.filter(status=AppealStatus.REVISED).count(),
            "pending": Appeal.objects.filter(status=AppealStatus.PENDING).count(),
        },
    ]


PART = DemoPart(NAME, load)

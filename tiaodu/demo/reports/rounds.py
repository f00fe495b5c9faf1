"""The demo's dispatch rounds as plain values: who reported what, when, and what became of it.

Drawn from the entries and periods the database holds, with one generator per entry seeded
from the demo's seed and the project's name, so the same demo gives the same rounds.

- Up to the ledger's date the reports add up to the ledger's year-to-date figure (they do
  not count: the ledger already states them); after it, each period adds about the plan's
  share at the entry's own pace, so lagging entries keep lagging.
- An entry with special-bond funds states in each report what it has spent of them by the
  period's end, on the same course as the ledger's figure (`timeline.spent_by`).
- Locked periods are approved, most on time, a few late; in the last months a few reports
  are missing. Periods still open have every status: approved, waiting for the district or
  the city, returned with a reason, drafts, and some not yet reported. A few drafts are
  started in the period under way.
- About one report in `PHOTO_SHARE` carries a photo; a few reuse an earlier photo (of the
  same project or of another), and one was taken before its period.
"""

import datetime as dt
import random
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from tiaodu.demo import photos
from tiaodu.demo.library.timeline import spent_by
from tiaodu.demo.reports import texts

CENT = Decimal("0.01")
PERIODS_PER_YEAR = {"ten_day": 36, "monthly": 12}
RECENT_MISSING_DAYS = 75  # missing reports only in the last months: older ones were chased
SLOW_MONTHS = {1: 0.8, 2: 0.35, 12: 0.85}  # winter and the Spring Festival


class Fate:
    APPROVED = "approved"
    LATE = "late"  # approved, submitted after the due date
    DISTRICT_APPROVED = "district_approved"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    DRAFT = "draft"
    MISSING = "missing"


@dataclass(frozen=True)
class PeriodRef:
    pk: int
    cycle: str
    start: dt.date
    end: dt.date
    due_date: dt.date
    lock_date: dt.date


@dataclass(frozen=True)
class Entry:
    """A plan entry that reports, with what its reports need of the project."""

    plan_id: int
    project_id: int
    year: int
    name: str
    cycle: str
    planned: Decimal
    ytd: Decimal
    ytd_as_of: dt.date | None
    total: Decimal
    latitude: Decimal
    longitude: Decimal
    actual_start: dt.date | None
    actual_completion: dt.date | None
    actual_production: dt.date | None
    statistics_inclusion: dt.date | None
    in_district: bool  # under the demo's district dispatcher
    procedures_pending: bool = True  # some procedure of its checklist is not done yet
    # Special-bond funds, spent evenly from `bond_begins` to `bond_done` (the spec's).
    bond_funds: Decimal = Decimal(0)
    bond_begins: dt.date | None = None
    bond_done: dt.date | None = None


@dataclass
class PhotoPlan:
    scene: str
    taken_at: dt.datetime
    phone: tuple[str, str]
    brighten: float = 1.0

    @property
    def name(self) -> str:
        return f"IMG_{self.taken_at:%Y%m%d_%H%M%S}.jpg"

    def content(self, entry: Entry) -> bytes:
        rng = random.Random(self.scene)
        return photos.jpeg(
            photos.scene(self.scene),
            taken_at=self.taken_at,
            latitude=entry.latitude + Decimal(rng.randint(-150, 150)) / 100000,
            longitude=entry.longitude + Decimal(rng.randint(-150, 150)) / 100000,
            phone=self.phone,
            brighten=self.brighten,
        )


@dataclass
class ReportPlan:
    entry: Entry
    period: PeriodRef
    fate: str
    investment: Decimal
    physical_progress: str
    next_plan: str
    new_problems: str
    workers_on_site: int
    milestones: dict[str, dt.date]
    bond_funds_spent: Decimal | None = None
    submitted_at: dt.datetime | None = None
    district_approved_at: dt.datetime | None = None
    approved_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    return_reason: str = ""
    photos: list[PhotoPlan] = field(default_factory=list)
    amendment_of: "ReportPlan | None" = None  # the approved report this one corrects

    @property
    def counts(self) -> bool:
        """Whether it adds to the entry's year-to-date figure once approved."""
        as_of = self.entry.ytd_as_of
        return self.period.end.year == self.entry.year and (
            as_of is None or self.period.end > as_of
        )


def money(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def draw_rounds(
    entries: list[Entry],
    periods: dict[str, list[PeriodRef]],
    *,
    seed: int,
    today: dt.date,
    photo_share: float,
) -> list[ReportPlan]:
    """Every report of every entry in the periods begun by `today` (missing ones included,
    with the fate MISSING: they are not written)."""
    plans: list[ReportPlan] = []
    for entry in entries:
        own = [
            period
            for period in periods.get(entry.cycle, [])
            if period.end.year == entry.year
            and period.start <= today
            and (entry.actual_production is None or entry.actual_production > period.end)
        ]
        plans.extend(_entry_rounds(entry, own, seed=seed, today=today, photo_share=photo_share))
    _reuse_photos(plans, random.Random(f"{seed}:reuse"))
    _amend(plans, random.Random(f"{seed}:amend"), today)
    return plans


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    zone = timezone.get_default_timezone()
    return dt.datetime.combine(day, dt.time(rng.randint(8, 18), rng.randint(0, 59)), zone)


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _fate(rng: random.Random, entry: Entry, period: PeriodRef, today: dt.date) -> str:
    if _covered(entry, period):
        # The ledger's figure is the sum of these reports: all of them were approved.
        return Fate.LATE if rng.random() < 0.02 else Fate.APPROVED
    if period.end >= today:  # the period under way: a few drafts begun
        return Fate.DRAFT if rng.random() < 0.15 else Fate.MISSING
    draw = rng.random()
    if period.lock_date >= today:  # ended, still open
        table = (
            (0.40, Fate.APPROVED),
            (0.52, Fate.DISTRICT_APPROVED if entry.in_district else Fate.SUBMITTED),
            (0.77, Fate.SUBMITTED),
            (0.82, Fate.RETURNED),
            (0.87, Fate.DRAFT),
        )
        return next((fate for limit, fate in table if draw < limit), Fate.MISSING)
    if draw < 0.012 and (today - period.end).days <= RECENT_MISSING_DAYS:
        return Fate.MISSING
    return Fate.LATE if draw < 0.032 else Fate.APPROVED


def _covered(entry: Entry, period: PeriodRef) -> bool:
    """Whether the ledger's year-to-date figure already states the period's investment."""
    return entry.ytd_as_of is not None and period.end <= entry.ytd_as_of


def _amounts(rng: random.Random, entry: Entry, own: list[PeriodRef]) -> list[Decimal]:
    """Each period's investment: the ledger's figure spread over the periods up to its
    date, then the plan's share per period at the entry's pace."""
    start = entry.actual_start
    active = [start is not None and start <= period.end for period in own]
    weights = [
        (rng.uniform(0.5, 1.5) * SLOW_MONTHS.get(period.end.month, 1.0) if on else 0.0)
        for period, on in zip(own, active, strict=True)
    ]
    as_of = entry.ytd_as_of
    before = [i for i, period in enumerate(own) if as_of is not None and period.end <= as_of]
    amounts = [Decimal(0)] * len(own)
    spread = sum(weights[i] for i in before)
    if before and entry.ytd > 0:
        left = entry.ytd
        for i in before:
            amounts[i] = money(float(entry.ytd) * weights[i] / spread)
            left -= amounts[i]
        if spread == 0:  # nothing drawn before the ledger's date: its last period holds it
            weights[before[-1]], spread = 1.0, 1.0
        last = max(i for i in before if weights[i] > 0)
        amounts[last] = max(Decimal(0), amounts[last] + left)
    share = float(entry.planned) / PERIODS_PER_YEAR.get(entry.cycle, 12)
    pace = rng.uniform(0.5, 1.25)
    if as_of is not None and entry.ytd > 0 and entry.planned > 0:
        expected = float(entry.planned) * as_of.month / 12
        pace = min(1.5, max(0.3, float(entry.ytd) / expected))
    for i, period in enumerate(own):
        if i in before or not active[i]:
            continue
        done = entry.actual_completion is not None and entry.actual_completion < period.start
        amounts[i] = money(share * pace * weights[i] * (0.1 if done else 1.0))
    return amounts


def _entry_rounds(
    entry: Entry, own: list[PeriodRef], *, seed: int, today: dt.date, photo_share: float
) -> list[ReportPlan]:
    rng = random.Random(f"{seed}:{entry.year}:{entry.name}")
    amounts = _amounts(rng, entry, own)
    crew = 15 + int(float(entry.planned) ** 0.5 * 0.8)
    result = []
    for period, amount in zip(own, amounts, strict=True):
        fate = _fate(rng, entry, period, today)
        started = entry.actual_start is not None and entry.actual_start <= period.end
        completed = entry.actual_completion is not None and entry.actual_completion <= period.end
        milestones = {
            name: day
            for name in ("actual_start", "actual_completion", "statistics_inclusion")
            if (day := getattr(entry, name)) is not None and period.start <= day <= period.end
        }
        idle = started and not completed and amount == 0
        workers = 0
        if started:
            factor = SLOW_MONTHS.get(period.end.month, 1.0) * rng.uniform(0.7, 1.3)
            workers = max(3, round(crew * factor * (0.15 if completed else 1.0)))
        plan = ReportPlan(
            entry=entry,
            period=period,
            fate=fate,
            investment=amount,
            physical_progress=texts.progress(
                rng,
                procedures_pending=entry.procedures_pending,
                started=started,
                completed=completed,
                producing=False,
                idle=idle,
                milestones=milestones,
            ),
            next_plan=texts.next_plan(
                rng, started=started, procedures_pending=entry.procedures_pending
            ),
            new_problems=texts.problem(rng, procedures_pending=entry.procedures_pending)
            if rng.random() < 0.12
            else "",
            workers_on_site=0 if idle else workers,
            milestones=milestones,
            bond_funds_spent=(
                spent_by(entry.bond_funds, entry.bond_begins, entry.bond_done, period.end)
                if entry.bond_funds
                else None
            ),
        )
        _stamp(rng, plan, today)
        if fate != Fate.MISSING and rng.random() < photo_share:
            last_day = min(period.end, today)
            if plan.submitted_at is not None:
                last_day = min(last_day, timezone.localdate(plan.submitted_at))
            for index in range(1 if rng.random() < 0.8 else 2):
                taken = _moment(rng, _day_between(rng, period.start, last_day))
                scene = f"{seed}:{entry.year}:{entry.name}:{period.cycle}:{period.start}:{index}"
                plan.photos.append(PhotoPlan(scene, taken, rng.choice(photos.PHONES)))
        result.append(plan)
    return result


def _stamp(rng: random.Random, plan: ReportPlan, today: dt.date) -> None:
    """When the report was submitted, approved or returned, by its fate."""
    period, fate = plan.period, plan.fate
    if fate in (Fate.DRAFT, Fate.MISSING):
        return
    first = period.end + dt.timedelta(days=1)
    if fate == Fate.LATE:
        day = _day_between(rng, period.due_date + dt.timedelta(days=1), period.lock_date)
    else:
        day = _day_between(rng, first - dt.timedelta(days=1), period.due_date)
    day = min(day, today)
    plan.submitted_at = _moment(rng, day)

    def later(moment: dt.datetime, most: int) -> dt.datetime:
        step = _moment(rng, min(today, moment.date() + dt.timedelta(days=rng.randint(0, most))))
        return max(step, moment + dt.timedelta(hours=1))

    if fate == Fate.RETURNED:
        plan.returned_at = later(plan.submitted_at, 2)
        plan.return_reason = rng.choice(texts.RETURN_REASONS)
        return
    if fate in (Fate.DISTRICT_APPROVED, Fate.APPROVED, Fate.LATE) and plan.entry.in_district:
        plan.district_approved_at = later(plan.submitted_at, 2)
    if fate in (Fate.APPROVED, Fate.LATE):
        plan.approved_at = later(plan.district_approved_at or plan.submitted_at, 3)


def _reuse_photos(plans: list[ReportPlan], rng: random.Random) -> None:
    """A few photos sent again in a later period (most of the same project, some of
    another), slightly brighter; and one photo taken before its period."""
    with_photos = [plan for plan in plans if plan.photos]
    with_photos.sort(key=lambda plan: (plan.period.end, plan.entry.name))
    if len(with_photos) < 4:
        return
    count = max(3, len(with_photos) // 150)
    later_half = with_photos[len(with_photos) // 2 :]
    for target in rng.sample(later_half, min(count, len(later_half))):
        earlier = [p for p in with_photos if p.period.end < target.period.start]
        same = [p for p in earlier if p.entry.project_id == target.entry.project_id]
        pool = same if same and rng.random() < 0.65 else earlier
        if not pool:
            continue
        source = rng.choice(pool).photos[0]
        photo = target.photos[0]
        target.photos[0] = PhotoPlan(source.scene, photo.taken_at, photo.phone, brighten=1.06)
    waiting = (Fate.SUBMITTED, Fate.DISTRICT_APPROVED)
    stale = next((p for p in reversed(with_photos) if p.fate in waiting), with_photos[-1])
    photo = stale.photos[0]
    taken = photo.taken_at - dt.timedelta(days=stale.period.end.day + 25)
    stale.photos[0] = PhotoPlan(photo.scene + ":old", taken, photo.phone)


def _amend(plans: list[ReportPlan], rng: random.Random, today: dt.date) -> None:
    """One approved report corrected by an amendment, approved in its turn."""
    approved = [
        plan
        for plan in plans
        if plan.fate == Fate.APPROVED and plan.period.lock_date < today and plan.investment > 0
    ]
    if not approved:
        return
    plan = rng.choice(approved)
    assert plan.approved_at is not None
    plan.amendment_of = replace(
        plan, investment=money(plan.investment * Decimal("0.8")), photos=list(plan.photos)
    )
    plan.physical_progress = f"{plan.physical_progress}{texts.AMENDED}"
    plan.submitted_at = plan.approved_at + dt.timedelta(days=2)
    plan.approved_at = plan.submitted_at + dt.timedelta(days=1)
    if plan.entry.in_district:
        plan.district_approved_at = plan.submitted_at + dt.timedelta(hours=3)

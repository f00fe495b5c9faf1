"""The month's rankings of regions, responsible units and leaders on their projects' cards
(issue 10, part 4), with the evidence behind each row's figures (part 7). Reading only.

A row gathers the cards of the month that the reader may see (`selectors.cards_visible_to`;
`actor` None is the whole site, for `manage.py rankings`):

- regions: the district of each project, the region just below the site's top region (a
  project placed on the top region itself is the top region's own row, 市本级);
- responsible units: `Project.responsible_unit` (projects without one are in no row);
- leaders: the municipal leader and the sponsoring leader (a person who is both on a
  project counts its card once).

Each row counts its cards per final colour (`Card.final_colour`: the colour revised on
appeal when there is one) and averages their scores. THE ORDER: the average score (as
shown, to one decimal) from high to low; on equal averages fewer red cards first, then
fewer yellow cards, then the name. The movement compares the rank with the same ranking
of the month before (same reader): up by n, down by n, unchanged, or new.

The evidence share is the share of the row's cards whose investment figure is evidenced
(`choices.EVIDENCED`: confirmed by a field-round visit, or an approved report with
photos); the split per source shows what the rest stands on, so a region that ranks high
on ledger-only figures is visible.

A region's row also carries the month's new inclusions in the statistics (本月新入统,
`new_inclusions`): the plan entries of the month's year, among those the reader may see,
whose project was included in the statistics in the month (the figure set's
`in_statistics.new_in_period` as of the month's last day, the same condition,
`projects.figure_conditions.new_in_statistics`). It is shown beside the ranking and does
not change the order. Responsible units and leaders have none (None).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tiaodu.accounts.models import OrgUnit, Person
from tiaodu.core.scoping import Someone
from tiaodu.projects.figure_conditions import new_in_statistics
from tiaodu.projects.models import AnnualPlan
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.scoring.choices import EVIDENCED, Colour, Evidence
from tiaodu.scoring.models import Card
from tiaodu.scoring.rules import month_end
from tiaodu.scoring.selectors import cards_visible_to

REGIONS, DEPARTMENTS, LEADERS = "regions", "departments", "leaders"
GROUPS = (REGIONS, DEPARTMENTS, LEADERS)
# A card whose figure's source was not recorded.
UNRECORDED = "none"
EVIDENCE_KEYS = (*Evidence.values, UNRECORDED)
TENTH = Decimal("0.1")


@dataclass
class RankRow:
    """One region, responsible unit or leader of a month's ranking."""

    key: int
    name: str
    cards: int = 0
    blue: int = 0
    yellow: int = 0
    red: int = 0
    score_total: Decimal = Decimal(0)
    evidence: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EVIDENCE_KEYS, 0))
    rank: int = 0
    # The rank of the month before; None when the row was not ranked then.
    previous_rank: int | None = None
    # A region's entries newly in the statistics in the month; None for other rows.
    new_inclusions: int | None = None

    @property
    def average_score(self) -> Decimal:
        """The mean score of the row's cards, to one decimal (the figure the order uses)."""
        if not self.cards:
            return Decimal(0)
        return (self.score_total / self.cards).quantize(TENTH, rounding=ROUND_HALF_UP)

    @property
    def evidenced(self) -> int:
        return sum(self.evidence[source] for source in EVIDENCED)

    @property
    def evidenced_share(self) -> Decimal:
        """Evidenced cards ÷ cards, 0–1 to three decimals."""
        if not self.cards:
            return Decimal(0)
        return (Decimal(self.evidenced) / self.cards).quantize(
            Decimal("0.001"), rounding=ROUND_HALF_UP
        )

    @property
    def evidenced_percent(self) -> Decimal:
        return (self.evidenced_share * 100).quantize(TENTH)

    @property
    def movement(self) -> int | None:
        """Places gained since the month before (negative: lost); None for a new row."""
        return None if self.previous_rank is None else self.previous_rank - self.rank

    @property
    def movement_text(self) -> str:
        """ "↑2", "↓1", "—" (unchanged) or "新" (not ranked the month before)."""
        moved = self.movement
        if moved is None:
            return pgettext("ranking movement", "new")
        if moved > 0:
            return f"↑{moved}"
        if moved < 0:
            return f"↓{-moved}"
        return "—"

    def evidence_parts(self) -> list[tuple[str, str, int, Decimal]]:
        """(source, label, count, percent of the cards) of each source, best first."""
        labels = {value: str(label) for value, label in Evidence.choices}
        labels[UNRECORDED] = _("Source not recorded")
        return [
            (
                source,
                labels[source],
                self.evidence[source],
                (Decimal(self.evidence[source] * 100) / self.cards).quantize(TENTH)
                if self.cards
                else Decimal(0),
            )
            for source in EVIDENCE_KEYS
        ]

    def add(self, colour: str, score: Decimal, evidence: str) -> None:
        self.cards += 1
        if colour == Colour.BLUE:
            self.blue += 1
        elif colour == Colour.YELLOW:
            self.yellow += 1
        elif colour == Colour.RED:
            self.red += 1
        self.score_total += score
        self.evidence[evidence if evidence in self.evidence else UNRECORDED] += 1

    def as_dict(self) -> dict[str, Any]:
        """The row as `manage.py rankings --json` prints it."""
        return {
            "rank": self.rank,
            "movement": self.movement,
            "movement_text": self.movement_text,
            "name": self.name,
            "cards": self.cards,
            "blue": self.blue,
            "yellow": self.yellow,
            "red": self.red,
            "average_score": float(self.average_score),
            "evidenced_share": float(self.evidenced_share),
            "evidence": dict(self.evidence),
            **({} if self.new_inclusions is None else {"new_inclusions": self.new_inclusions}),
        }


def order_key(row: RankRow) -> tuple[Decimal, int, int, str]:
    """The stated order: average score high to low, fewer red, fewer yellow, then name."""
    return (-row.average_score, row.red, row.yellow, row.name)


@dataclass
class Rankings:
    """The three rankings of a month as the reader may see them."""

    month: dt.date
    regions: list[RankRow]
    departments: list[RankRow]
    leaders: list[RankRow]

    def table(self, group: str) -> list[RankRow]:
        rows: list[RankRow] = getattr(self, group)
        return rows

    @property
    def is_empty(self) -> bool:
        return not (self.regions or self.departments or self.leaders)


def visible_cards(actor: Someone | None) -> QuerySet[Card]:
    """The cards the reader may see; `actor` None reads the whole site (a system read)."""
    return Card.objects.all() if actor is None else cards_visible_to(actor)


def top_region() -> OrgUnit | None:
    return OrgUnit.objects.regions().filter(parent=None).order_by("path").first()


def district_id(path: str, top: OrgUnit | None) -> int | None:
    """The id of the region just below the top region on the way to `path` (the top
    region's own id for a project placed on it)."""
    ids = [int(part) for part in path.strip("/").split("/") if part]
    if top is None or not ids:
        return None
    depth = top.depth
    if len(ids) > depth + 1:
        return ids[depth + 1]
    return ids[-1]


def _ranked(rows: Iterable[RankRow]) -> list[RankRow]:
    ordered = sorted(rows, key=order_key)
    for place, row in enumerate(ordered, start=1):
        row.rank = place
    return ordered


def _tables(month: dt.date, actor: Someone | None) -> dict[str, list[RankRow]]:
    cards = visible_cards(actor).filter(month=month).order_by()
    values = cards.values_list(
        "project__region__path",
        "project__responsible_unit_id",
        "project__municipal_leader_id",
        "project__sponsoring_leader_id",
        "colour",
        "revised_colour",
        "score",
        "evidence",
    )
    top = top_region()
    grouped: dict[str, dict[int, RankRow]] = {group: {} for group in GROUPS}
    for path, unit_id, municipal_id, sponsoring_id, colour, revised, score, evidence in values:
        final = revised or colour
        keys: dict[str, set[int]] = {
            REGIONS: {pk for pk in [district_id(path, top)] if pk is not None},
            DEPARTMENTS: {unit_id} if unit_id is not None else set(),
            LEADERS: {pk for pk in (municipal_id, sponsoring_id) if pk is not None},
        }
        for group, pks in keys.items():
            for pk in pks:
                row = grouped[group].get(pk)
                if row is None:
                    row = grouped[group][pk] = RankRow(key=pk, name="")
                row.add(final, score, evidence)
    _name(grouped[REGIONS], _unit_names(grouped[REGIONS], top))
    _name(grouped[DEPARTMENTS], _unit_names(grouped[DEPARTMENTS], None))
    _name(
        grouped[LEADERS],
        {person.pk: str(person) for person in Person.objects.filter(pk__in=grouped[LEADERS])},
    )
    return {group: _ranked(rows.values()) for group, rows in grouped.items()}


def _unit_names(rows: dict[int, RankRow], top: OrgUnit | None) -> dict[int, str]:
    names = dict(OrgUnit.objects.filter(pk__in=rows).values_list("pk", "name"))
    if top is not None and top.pk in names:
        names[top.pk] = _("%(region)s (city level)") % {"region": top.name}
    return names


def _name(rows: dict[int, RankRow], names: dict[int, str]) -> None:
    for pk, row in rows.items():
        row.name = names.get(pk, str(pk))


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def new_inclusions(actor: Someone | None, month: dt.date, top: OrgUnit | None) -> dict[int, int]:
    """Each district's plan entries (of the month's year, as the reader may see them)
    newly in the statistics in the month, by district id; one query, grouped by region."""
    visible = AnnualPlan.objects.all() if actor is None else plans_visible_to(actor)
    plans = visible.select_related(None).prefetch_related(None).order_by()
    rows = (
        plans.filter(new_in_statistics(month_end(month)), year=month.year)
        .values("project__region__path")
        .annotate(entries=Count("id", distinct=True))
        .order_by()
    )
    counts: dict[int, int] = {}
    for row in rows:
        district = district_id(row["project__region__path"], top)
        if district is not None:
            counts[district] = counts.get(district, 0) + row["entries"]
    return counts


def rankings(*, actor: Someone | None, month: dt.date) -> Rankings:
    """The month's three rankings over the cards the reader may see, each row with its
    movement since the month before."""
    month = month.replace(day=1)
    current = _tables(month, actor)
    before = _tables(previous_month(month), actor)
    for group in GROUPS:
        ranks = {row.key: row.rank for row in before[group]}
        for row in current[group]:
            row.previous_rank = ranks.get(row.key)
    included = new_inclusions(actor, month, top_region())
    for row in current[REGIONS]:
        row.new_inclusions = included.get(row.key, 0)
    return Rankings(
        month=month,
        regions=current[REGIONS],
        departments=current[DEPARTMENTS],
        leaders=current[LEADERS],
    )


def group_titles() -> dict[str, str]:
    return {
        REGIONS: _("Regions"),
        DEPARTMENTS: _("Responsible units"),
        LEADERS: _("Leaders"),
    }

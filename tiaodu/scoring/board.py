"""What the card pages read from the cards the reader may see (`selectors.cards_visible_to`):
the counts per colour of a month and of the month before, the three breakdowns of the board
(region, key-project list, responsible unit), the filtered card list ordered worst first,
and a card's worst dimension. Nothing here writes; the queryset handed in carries the
reader's scope, so a filter naming something out of scope finds no card."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.projects.models import KeyProjectList, ListMembership
from tiaodu.scoring.choices import NOT_APPLICABLE, SEVERITY, Colour, Dimension
from tiaodu.scoring.models import Card
from tiaodu.scoring.rules import month_end

COLOURS = (Colour.BLUE, Colour.YELLOW, Colour.RED)
# The board's breakdowns: the list page's filter of each and the card field it groups on.
BREAKDOWNS = {
    "region": ("project__region_id", "project__region__name"),
    "list": (
        "plan__memberships__key_project_list_id",
        "plan__memberships__key_project_list__name",
    ),
    "unit": ("project__responsible_unit_id", "project__responsible_unit__name"),
}
# The card list's filters besides the month.
FILTERS = ("colour", "region", "list", "unit")
# The filter value of the cards without a responsible unit.
NONE = "none"


def on_lists_at(cards: QuerySet[Card], month: dt.date) -> QuerySet[Card]:
    """The cards joined with the memberships of their entry that stood at the month's end
    (one filter() call, so that the grouping below shares its join)."""
    day = month_end(month)
    return cards.filter(
        Q(plan__memberships__end__isnull=True) | Q(plan__memberships__end__gt=day),
        plan__memberships__start__lte=day,
    )


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def with_final_colour(cards: QuerySet[Card]) -> QuerySet:
    """The cards with `final` (the revised colour after an appeal, else the computed one)
    and `severity` (red 0, yellow 1, blue 2: the list's order)."""
    return cards.annotate(
        final=Coalesce(NullIf("revised_colour", Value("")), "colour", output_field=CharField()),
    ).annotate(
        severity=Case(
            When(final=Colour.RED, then=Value(0)),
            When(final=Colour.YELLOW, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )


def _counted(rows: dict[str, int]) -> dict[str, int]:
    return {str(colour): rows.get(colour, 0) for colour in COLOURS}


def colour_counts(cards: QuerySet[Card], month: dt.date) -> dict[str, int]:
    found = (
        with_final_colour(cards.filter(month=month))
        .order_by()
        .values_list("final")
        .annotate(n=Count("pk"))
    )
    counts = dict(found)
    return {str(colour): counts.get(colour, 0) for colour in COLOURS}


@dataclass
class Tally:
    """One colour's count of the month, and its change from the month before."""

    colour: str
    label: str
    count: int
    change: int | None  # None: the month before has no cards

    @property
    def up(self) -> bool:
        return bool(self.change and self.change > 0)

    @property
    def down(self) -> bool:
        return bool(self.change and self.change < 0)

    @property
    def size(self) -> int:
        return abs(self.change or 0)


def tallies(cards: QuerySet[Card], month: dt.date) -> list[Tally]:
    """Blue, yellow and red for the month, with the change from the month before."""
    now = colour_counts(cards, month)
    before_month = previous_month(month)
    computed_before = Card.objects.filter(month=before_month).exists()
    before = colour_counts(cards, before_month) if computed_before else None
    return [
        Tally(
            colour=str(colour),
            label=str(colour.label),
            count=now[colour],
            change=(now[colour] - before[colour]) if before is not None else None,
        )
        for colour in COLOURS
    ]


@dataclass
class Row:
    """One line of a breakdown: what it groups (its filter value and name), the counts."""

    key: str
    name: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def breakdown(cards: QuerySet[Card], month: dt.date, by: str) -> list[Row]:
    """The month's cards counted per colour for each region, list or responsible unit;
    the rows with the most red first, then yellow, then by name."""
    key_field, name_field = BREAKDOWNS[by]
    chosen = on_lists_at(cards, month) if by == "list" else cards
    found = (
        with_final_colour(chosen.filter(month=month))
        .order_by()
        .values_list(key_field, name_field, "final")
        .annotate(n=Count("pk", distinct=True))
    )
    rows: dict[str, Row] = {}
    for key, name, colour, count in found:
        if key is None and by == "list":
            continue  # an entry on no list is in no row of this table
        row_key = NONE if key is None else str(key)
        row = rows.setdefault(row_key, Row(row_key, name or "", _counted({})))
        row.counts[colour] = row.counts.get(colour, 0) + count
    return sorted(
        rows.values(),
        key=lambda row: (
            -row.counts[Colour.RED],
            -row.counts[Colour.YELLOW],
            row.key == NONE,
            row.name,
        ),
    )


@dataclass
class ListFilters:
    """The card list's filters as parsed from the query (an unreadable value is dropped
    and named in `errors`)."""

    colour: str = ""
    region: int | None = None
    key_list: int | None = None
    unit: int | str | None = None
    errors: list[str] = field(default_factory=list)


def _number(value: str) -> int | None:
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number > 0 else None


def parse_filters(query: Any) -> ListFilters:
    filters = ListFilters()
    colour = query.get("colour", "")
    if colour in COLOURS:
        filters.colour = colour
    elif colour:
        filters.errors.append("colour")
    for name, attribute in (("region", "region"), ("list", "key_list"), ("unit", "unit")):
        value = query.get(name, "").strip()
        if not value:
            continue
        if name == "unit" and value == NONE:
            filters.unit = NONE
            continue
        number = _number(value)
        if number is None:
            filters.errors.append(name)
        else:
            setattr(filters, attribute, number)
    return filters


def card_list(cards: QuerySet[Card], month: dt.date, filters: ListFilters) -> QuerySet[Card]:
    """The month's cards that the filters keep, red first, then yellow, then blue, each
    colour by score ascending."""
    chosen = with_final_colour(cards.filter(month=month))
    if filters.colour:
        chosen = chosen.filter(Q(final=filters.colour))
    if filters.region is not None:
        chosen = chosen.filter(project__region_id=filters.region)
    if filters.key_list is not None:
        on_list = ListMembership.objects.on(month_end(month)).filter(
            key_project_list_id=filters.key_list
        )
        chosen = chosen.filter(plan_id__in=on_list.values("annual_plan_id"))
    if filters.unit == NONE:
        chosen = chosen.filter(project__responsible_unit=None)
    elif isinstance(filters.unit, int):
        chosen = chosen.filter(project__responsible_unit_id=filters.unit)
    return chosen.select_related(
        "project__region", "project__responsible_unit", "project__owner_unit"
    ).order_by("severity", "score", "project__name", "pk")


def worst_dimension(card: Card) -> dict[str, str]:
    """The dimension that made the card's computed colour ({"name", "label", "colour",
    "reason", "restore"}); for a blue card the first dimension that applies."""
    judged = [
        (name, values)
        for name, values in (card.dimensions or {}).items()
        if values.get("colour") != NOT_APPLICABLE
    ]
    if not judged:
        return {}
    name, values = max(
        judged, key=lambda item: SEVERITY.index(Colour(item[1].get("colour", Colour.BLUE)))
    )
    return {"name": name, "label": dimension_label(name), **values}


def dimension_label(name: str) -> str:
    try:
        return str(Dimension(name).label)
    except ValueError:
        return name


def dimensions_of(card: Card) -> list[dict[str, str]]:
    """Each dimension of the card in the order of `Dimension`, with its label."""
    found = card.dimensions or {}
    return [
        {"name": name, "label": str(label), **found[name]}
        for name, label in Dimension.choices
        if name in found
    ]


def filter_label(filters: ListFilters) -> str:
    """What the list is narrowed to, in words ("黄岛区", "市重点项目 · 青岛市住建局")."""
    names: list[str] = []
    if filters.region is not None:
        names += OrgUnit.objects.filter(pk=filters.region).values_list("name", flat=True)
    if filters.key_list is not None:
        names += KeyProjectList.objects.filter(pk=filters.key_list).values_list("name", flat=True)
    if filters.unit == NONE:
        names.append(str(_("No responsible unit")))
    elif filters.unit is not None:
        names += OrgUnit.objects.filter(pk=filters.unit).values_list("name", flat=True)
    return " · ".join(names)

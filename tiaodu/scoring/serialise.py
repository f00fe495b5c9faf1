"""A month's cards in their JSON form, shared by `GET /api/v1/cards` and `manage.py cards`
(issue 10, part 8): the counts per final colour and one object per card.

    {"month": "2026-11", "blue": 3, "yellow": 1, "red": 2, "none": 4}
    {"code": "…", "name": "…", "region": "黄岛区", "colour": "red", "score": "62.5",
     "dimensions": {"investment": {"colour": "red", "reason": "…"}, "start": …,
                    "statistics": …, "reporting": …},
     "restore": ["需再完成投资 1,234.00 万元"]}

`colour` is the final colour (the revised one after an appeal); a dimension's colour is
blue, yellow, red or `na` (does not apply). `none` counts the plan entries of the month's
year without a card that month (reserve entries, and all of them before the month is
computed). Choosing the cards — a month, a region subtree, a level, a list, a colour — is
`choose`, whose bad parameters raise a ValidationError naming the parameter.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.projects.choices import AnnualPlanLevel
from tiaodu.projects.models import AnnualPlan, KeyProjectList, ListMembership
from tiaodu.scoring.choices import NOT_APPLICABLE, SEVERITY, Colour, Dimension
from tiaodu.scoring.rules import month_end

NONE = "none"


def final_colour_is(colour: str, prefix: str = "") -> Q:
    """The cards whose final colour is `colour`: revised to it, or computed so and not revised."""
    return Q(**{f"{prefix}revised_colour": colour}) | Q(
        **{f"{prefix}revised_colour": "", f"{prefix}colour": colour}
    )


def worst_first() -> Case:
    """Red cards first, then yellow, then blue (by the final colour)."""
    return Case(
        *(
            When(final_colour_is(colour), then=Value(rank))
            for rank, colour in enumerate(reversed(SEVERITY))
        ),
        default=Value(len(SEVERITY)),
        output_field=IntegerField(),
    )


@dataclass
class Choice:
    """The chosen month's cards (every colour), the plan entries they are counted against,
    and the cards to list (of the chosen colour, if one was given)."""

    month: dt.date
    cards: QuerySet[Any]
    plans: QuerySet[AnnualPlan]
    listed: QuerySet[Any]


def choose(
    cards: QuerySet[Any],
    plans: QuerySet[AnnualPlan],
    *,
    month: dt.date,
    region: str | None = None,
    level: str | None = None,
    key_list: str | None = None,
    colour: str | None = None,
) -> Choice:
    """The month's cards and plan entries narrowed by the parameters. A parameter that
    names nothing raises a ValidationError keyed by its name, in the reader's language;
    `cards` and `plans` come already scoped to the reader."""
    errors: dict[str, str] = {}
    cards = cards.filter(month=month)
    plans = plans.filter(year=month.year)
    if region:
        code = region.strip()
        found = OrgUnit.objects.regions().filter(Q(region_code=code) | Q(name=code)).first()
        if found is None:
            errors["region"] = _(
                "No region has the code “%(code)s”; give a six-digit division code of the site."
            ) % {"code": code}
        else:
            cards = cards.filter(project__region__path__startswith=found.path)
            plans = plans.filter(project__region__path__startswith=found.path)
    if level:
        if level not in AnnualPlanLevel.values:
            errors["level"] = _("Unknown level “%(level)s”; use one of %(levels)s.") % {
                "level": level,
                "levels": ", ".join(AnnualPlanLevel.values),
            }
        else:
            cards = cards.filter(plan__level=level)
            plans = plans.filter(level=level)
    if key_list:
        found_list = KeyProjectList.objects.filter(year=month.year, name=key_list.strip()).first()
        if found_list is None:
            errors["list"] = _("There is no list “%(name)s” in %(year)s.") % {
                "name": key_list,
                "year": month.year,
            }
        else:
            # The list as it stood at the month's end, as the cards' facts were.
            on_list = ListMembership.objects.on(month_end(month)).filter(
                key_project_list=found_list
            )
            cards = cards.filter(Exists(on_list.filter(annual_plan=OuterRef("plan"))))
            plans = plans.filter(Exists(on_list.filter(annual_plan=OuterRef("pk"))))
    listed = cards
    if colour:
        if colour not in Colour.values:
            errors["colour"] = _("Unknown colour “%(colour)s”; use one of %(colours)s.") % {
                "colour": colour,
                "colours": ", ".join(Colour.values),
            }
        else:
            listed = cards.filter(final_colour_is(colour))
    if errors:
        raise ValidationError(errors)
    return Choice(month=month, cards=cards, plans=plans, listed=listed)


def counts(choice: Choice) -> dict[str, Any]:
    """`{"month", "blue", "yellow", "red", "none"}` of the chosen cards and entries (two
    queries whatever their number)."""
    month, cards, plans = choice.month, choice.cards, choice.plans
    found = cards.order_by().aggregate(
        **{colour: Count("pk", filter=final_colour_is(colour)) for colour in Colour.values}
    )
    carded = cards.model.objects.filter(plan=OuterRef("pk"), month=month)
    without = plans.order_by().filter(~Exists(carded)).count()
    return {
        "month": f"{month:%Y-%m}",
        **{key: int(value) for key, value in found.items()},
        NONE: without,
    }


def for_listing(cards: QuerySet[Any]) -> QuerySet[Any]:
    """The cards with what `detail` reads, worst first, then by score, then by name."""
    return (
        cards.select_related("project__region")
        .annotate(severity=worst_first())
        .order_by("severity", "score", "project__name", "pk")
    )


def detail(card: Any) -> dict[str, Any]:
    """One card as part 8's object (the card's project and region read with it)."""
    dimensions = card.dimensions or {}
    return {
        "code": card.project.code or "",
        "name": card.project.name,
        "region": card.project.region.name,
        "colour": card.final_colour,
        "score": format(card.score, "f"),
        "dimensions": {
            name: {
                "colour": (dimensions.get(name) or {}).get("colour", NOT_APPLICABLE),
                "reason": (dimensions.get(name) or {}).get("reason", ""),
            }
            for name in Dimension.values
        },
        "restore": list(card.restore or []),
    }


class Details:
    """The chosen cards as objects of `detail`, read a slice at a time: what a pager
    slices and counts (`len` is one COUNT query, a slice one query)."""

    def __init__(self, cards: QuerySet[Any]) -> None:
        self.cards = for_listing(cards)

    def __len__(self) -> int:
        return self.cards.count()

    def __getitem__(self, part: slice) -> list[dict[str, Any]]:
        return [detail(card) for card in self.cards[part]]

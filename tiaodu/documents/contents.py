"""The monthly bulletin's content (DOMAIN.md §10) for a month and a region, as plain data.

Every figure comes from the figure set (`tiaodu.analytics.figures.compute`) as of the
month's last day, and every list of projects is read with the very condition the figure
set counts with (`projects.figure_conditions`) over the very plan entries it counts
(`analytics.figures.scoped_plans`), so a list has exactly as many rows as its count says.
The cards' change compares with the figure set as of the previous month's end; the problems
and the notices are the figure set's own keys. Nothing here is stored: the same month,
region and data give the same content, and since the figure set is dated, a past month's
bulletin is built again exactly.

The content's shapes and the writing of values are in `document`, the sections and the
lists behind their counts in `sections`; the three renderers (`docx`, `pdf`, `xlsx`) lay
out the same content.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.analytics.figures import (
    Scope,
    card_figures,
    compute,
    resolve_scope,
    scoped_plans,
)
from tiaodu.core.scoping import Actor
from tiaodu.documents import sections as part
from tiaodu.documents.document import (
    HEADINGS,
    SECTIONS,
    BulletinContent,
    MonthError,
    Section,
    Table,
    Value,
    chinese_date,
    month_end,
    number_label,
    parse_month,
    text,
)
from tiaodu.supervision.notices.documents import issuing_body

# What the other modules read here besides `build` (the content's shapes live in `document`).
__all__ = [
    "HEADINGS",
    "SECTIONS",
    "BulletinContent",
    "MonthError",
    "Section",
    "Table",
    "Value",
    "build",
    "number_label",
    "parse_month",
    "text",
]

# ---------------------------------------------------------------------------------------


def _previous(actor: Actor, scope: Scope) -> dict[str, Any] | None:
    """The figure set's cards as of the previous month's end, within the same plan year
    (the cards are all the bulletin compares with last month)."""
    if scope.as_of.month == 1:
        return None
    before = scope.as_of.replace(day=1) - dt.timedelta(days=1)
    earlier = Scope(
        year=scope.year, as_of=before, region=scope.region, level=scope.level, key_list=None
    )
    return {"cards": card_figures(actor=actor, scope=earlier)}


def build(
    *,
    actor: Actor,
    month: dt.date,
    region: OrgUnit | str | None = None,
    number: int | None = None,
    issued_on: dt.date | None = None,
    commentary: Mapping[str, str] | None = None,
) -> BulletinContent:
    """The bulletin of `month` (any day of it) for the region (a code, an org unit, or the
    actor's region), as the actor may see it. ScopeError on a region that names nothing."""
    as_of = month_end(month)
    with translation.override(settings.LANGUAGE_CODE):
        scope = resolve_scope(actor=actor, year=as_of.year, as_of=as_of, region=region)
        figure_set = compute(actor=actor, scope=scope)
        data = figure_set.data
        plans = scoped_plans(actor, scope)
        scope_name = scope.region.name if scope.region is not None else ""
        sections = [
            part.overview(data, scope_name, as_of.month),
            part.regions(data, figure_set.rows["by_region"]),
            part.new_starts(data, plans, as_of),
            part.completions(data, plans, as_of.year, as_of),
            part.lagging(actor, data, plans, as_of),
            part.reserve(data),
            part.cards(data, _previous(actor, scope)),
            part.problems(data),
            part.notices(data),
            Section("requirements", str(HEADINGS["requirements"])),
        ]
        for section in sections:
            said = (commentary or {}).get(section.key, "")
            section.paragraphs += [line.strip() for line in said.splitlines() if line.strip()]
        return BulletinContent(
            year=as_of.year,
            month=as_of.month,
            as_of=as_of,
            region=scope_name,
            issuing_body=issuing_body(),
            title=_("Bulletin on the progress of %(region)s's key projects in %(month)s")
            % {"region": scope_name, "month": f"{as_of.year}年{as_of.month}月"},
            number=number_label(as_of.year, number),
            recipients=_("To the district and county governments and the departments concerned:"),
            sections=sections,
            issued_on=chinese_date(issued_on or as_of),
            figures=data,
        )

"""The card pages as xlsx files (core.xlsx): the board's three tables, one sheet each, and
the card list."""

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tiaodu.core import xlsx
from tiaodu.scoring.board import COLOURS, Row, Tally, worst_dimension
from tiaodu.scoring.choices import Colour
from tiaodu.scoring.models import Card

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _count_columns(first: str) -> list[tuple[str, int]]:
    return [
        (first, 32),
        *((str(colour.label), 10) for colour in COLOURS),
        (_("Total"), 10),
    ]


def _append_rows(sheet: WriteOnlyWorksheet, rows: Iterable[Row]) -> None:
    for row in rows:
        name = row.name or _("No responsible unit")
        sheet.append([xlsx.text_cell(sheet, name), *(row.counts[c] for c in COLOURS), row.total])


def write_board(
    month: dt.date, tallies: list[Tally], tables: list[tuple[str, str, list[Row]]]
) -> bytes:
    """The month's counts per colour, then one sheet per breakdown (title, first header)."""
    title = _("Cards of %(month)s") % {"month": f"{month:%Y-%m}"}
    workbook, sheet = xlsx.new_sheet(
        sheet_name=_("Counts"),
        title=title,
        columns=[(_("Colour"), 14), (_("Cards"), 10), (_("Change from last month"), 20)],
    )
    for tally in tallies:
        sheet.append([xlsx.text_cell(sheet, tally.label), tally.count, tally.change])
    for name, first, rows in tables:
        sheet = xlsx.add_sheet(
            workbook, sheet_name=name, title=f"{title} · {name}", columns=_count_columns(first)
        )
        _append_rows(sheet, rows)
    return xlsx.to_bytes(workbook)


def write_card_list(month: dt.date, cards: Iterable[Card], *, title: str) -> bytes:
    workbook, sheet = xlsx.new_sheet(
        sheet_name=_("Cards"),
        title=title,
        columns=[
            (_("Project code"), 16),
            (_("Project"), 36),
            (_("Region"), 12),
            (_("Responsible unit"), 24),
            (_("Score"), 8),
            (_("Colour"), 10),
            (_("Computed colour"), 10),
            (_("Reason"), 50),
            (_("What restores blue"), 50),
        ],
    )
    for card in cards:
        worst = worst_dimension(card)
        project = card.project
        sheet.append(
            [
                xlsx.text_cell(sheet, project.code),
                xlsx.text_cell(sheet, project.name),
                xlsx.text_cell(sheet, project.region.name if project.region else ""),
                xlsx.text_cell(
                    sheet, project.responsible_unit.name if project.responsible_unit else ""
                ),
                float(card.score),
                xlsx.text_cell(sheet, str(Colour(card.final_colour).label)),
                xlsx.text_cell(sheet, str(Colour(card.colour).label)),
                xlsx.text_cell(sheet, worst.get("reason", "")),
                xlsx.text_cell(sheet, "；".join(card.restore or [])),
            ]
        )
    return xlsx.to_bytes(workbook)

"""The ranking tables and the districts' indicators as xlsx files (`core.xlsx`), one table
per file, with the same rows and order as the pages."""

from decimal import Decimal

from django.utils.translation import gettext as _

from tiaodu.core import xlsx
from tiaodu.scoring.indicators import INDICATORS, Indicators
from tiaodu.scoring.rankings import RankRow


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def write_ranking(rows: list[RankRow], *, title: str, name_header: str) -> bytes:
    """One ranking: rank, movement, name, cards per colour, average score and the evidence
    behind the figures (the share evidenced and the count per source)."""
    sources = rows[0].evidence_parts() if rows else RankRow(key=0, name="").evidence_parts()
    columns = [
        (_("Rank"), 8),
        (_("Movement"), 10),
        (name_header, 28),
        (_("Cards"), 8),
        (_("Blue card"), 8),
        (_("Yellow card"), 8),
        (_("Red card"), 8),
        (_("Average score"), 10),
        (_("Evidenced share (%)"), 12),
        *((label, 14) for _source, label, _count, _percent in sources),
    ]
    # Regions carry the month's new inclusions in the statistics (the last column).
    regional = any(row.new_inclusions is not None for row in rows)
    if regional:
        columns.append((_("New inclusions this month"), 12))
    workbook, sheet = xlsx.new_sheet(sheet_name=name_header, title=title, columns=columns)
    for row in rows:
        sheet.append(
            [
                row.rank,
                xlsx.text_cell(sheet, row.movement_text),
                xlsx.text_cell(sheet, row.name),
                row.cards,
                row.blue,
                row.yellow,
                row.red,
                _number(row.average_score),
                _number(row.evidenced_percent),
                *(count for _source, _label, count, _percent in row.evidence_parts()),
                *([row.new_inclusions] if regional else []),
            ]
        )
    return xlsx.to_bytes(workbook)


def write_indicators(assessed: Indicators, *, title: str) -> bytes:
    """Each district: rank, movement, then target, actual and attainment of each indicator,
    and the overall attainment."""
    columns: list[tuple[str, int]] = [(_("Rank"), 8), (_("Movement"), 10), (_("District"), 16)]
    labels = [str(label) for label in INDICATORS.values()]
    for label in labels:
        columns += [
            (_("%(indicator)s: target") % {"indicator": label}, 12),
            (_("%(indicator)s: actual") % {"indicator": label}, 12),
            (_("%(indicator)s: attainment (%%)") % {"indicator": label}, 14),
        ]
    columns.append((_("Overall attainment (%)"), 14))
    workbook, sheet = xlsx.new_sheet(
        sheet_name=_("Assessment indicators"), title=title, columns=columns
    )
    for row in assessed.rows:
        cells: list[object] = [row.rank, xlsx.text_cell(sheet, row.movement_text)]
        cells.append(xlsx.text_cell(sheet, row.name))
        for _key, _label, actual, target, attained in row.cells():
            cells += [target, actual, _number(attained)]
        cells.append(_number(row.overall))
        sheet.append(cells)
    return xlsx.to_bytes(workbook)

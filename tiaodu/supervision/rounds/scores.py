"""A round's results from the visits a reader may see: the visited projects ranked by score,
and the average score per region. Pure functions over visits already read in scope."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tiaodu.supervision.rounds.models import SiteVisit

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Ranked:
    """A scored visit and its place: equal scores share a place (1, 2, 2, 4)."""

    rank: int
    visit: SiteVisit


@dataclass(frozen=True)
class RegionAverage:
    region: str
    region_path: str
    visited: int
    scored: int
    average: Decimal | None
    highest: Decimal | None
    lowest: Decimal | None


def ranking(visits: Iterable[SiteVisit]) -> list[Ranked]:
    """The scored visits, best first (then by project name); unscored visits are left out."""
    scored = sorted(
        (visit for visit in visits if visit.score is not None),
        key=lambda visit: (-(visit.score or 0), visit.project.name),
    )
    ranked: list[Ranked] = []
    for position, visit in enumerate(scored, start=1):
        tied = ranked and ranked[-1].visit.score == visit.score
        ranked.append(Ranked(rank=ranked[-1].rank if tied else position, visit=visit))
    return ranked


def average(scores: list[Decimal]) -> Decimal | None:
    """The mean, two places, half-up; None without scores."""
    if not scores:
        return None
    return (sum(scores, Decimal(0)) / len(scores)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def region_averages(visits: Iterable[SiteVisit]) -> list[RegionAverage]:
    """Per project region: visits, scored visits, the average, highest and lowest score;
    the best average first, regions without a score last."""
    by_region: dict[tuple[str, str], list[SiteVisit]] = defaultdict(list)
    for visit in visits:
        by_region[(visit.project.region.path, visit.project.region.name)].append(visit)
    rows = []
    for (path, name), items in by_region.items():
        scores = [visit.score for visit in items if visit.score is not None]
        rows.append(
            RegionAverage(
                region=name,
                region_path=path,
                visited=len(items),
                scored=len(scores),
                average=average(scores),
                highest=max(scores) if scores else None,
                lowest=min(scores) if scores else None,
            )
        )
    return sorted(rows, key=lambda row: (row.average is None, -(row.average or 0), row.region_path))

"""The procedures checklist (前期手续) of a demo project, its document numbers and its code.

The checklist follows the order in which a project usually clears its procedures; how far
a project has come follows its state: a started project has them all, a reserve project
as many as its stage implies (DOMAIN.md §1, reserve stages).
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from tiaodu.demo.library import names
from tiaodu.demo.library.names import Place
from tiaodu.demo.library.spec import ProcedureSpec
from tiaodu.projects.choices import ProcedureKind as K
from tiaodu.projects.choices import ProcedureStatus as S
from tiaodu.projects.choices import ProjectFundingType, ReserveStage

# The usual order of the procedures (the glossary's order is ProcedureKind's).
ORDER = (
    K.LAND_PRE_REVIEW,
    K.PROJECT_APPROVAL,
    K.LAND_PLANNING_PERMIT,
    K.ENVIRONMENTAL_ASSESSMENT,
    K.ENERGY_ASSESSMENT,
    K.PROPERTY_CERTIFICATE,
    K.WORKS_PLANNING_PERMIT,
    K.CONSTRUCTION_PERMIT,
)
STAGE_INDEX = {stage: index for index, stage in enumerate(ReserveStage.values)}

# Project code type group: 01 审批 (government), 02 核准, 03 备案 (enterprise).
APPROVED, AUTHORIZED, FILED = "01", "02", "03"


@dataclass
class Registry:
    """Serial numbers per issuing office and year, and the project codes already given."""

    rng: random.Random
    counters: dict[tuple[str, str], int] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)

    def serial(self, office: str, period: str, first: int = 40, step: int = 6) -> int:
        key = (office, period)
        if key in self.counters:
            self.counters[key] += self.rng.randint(1, step)
        else:
            self.counters[key] = self.rng.randint(1, first)
        return self.counters[key]

    def project_code(self, year: int, place: Place, industry_code: str, kind: str) -> str:
        """A unique code YYYY-AAAAAA-BB-CC-NNNNNN (five serial digits and a check character)."""
        while True:
            serial = self.rng.randint(0, 99_999)
            check = self.rng.choice("0123456789" * 3 + "X")
            code = f"{year}-{place.host_code}-{industry_code}-{kind}-{serial:05d}{check}"
            if code not in self.codes:
                self.codes.add(code)
                return code


def code_kind(funding_type: str, authorized: bool) -> str:
    if funding_type == ProjectFundingType.GOVERNMENT:
        return APPROVED
    return AUTHORIZED if authorized else FILED


def document_number(
    registry: Registry, kind: str, on: date, place: Place, city_level: bool, code_type: str
) -> str:
    """A document number in the form the issuing office uses."""
    year = on.year
    office = names.CITY_SHORT if city_level else place.abbreviation
    host = place.host_code
    match kind:
        case K.PROJECT_APPROVAL:
            word = {APPROVED: "审批", AUTHORIZED: "核准", FILED: "备"}[code_type]
            serial = registry.serial(f"{office}发改{word}", str(year), 120, 9)
            return f"{office}发改{word}〔{year}〕{serial}号"
        case K.ENVIRONMENTAL_ASSESSMENT:
            issuer = "青环审" if city_level else f"青环{place.abbreviation}审"
            serial = registry.serial(issuer, str(year), 60, 5)
            return f"{issuer}〔{year}〕{serial}号"
        case K.ENERGY_ASSESSMENT:
            serial = registry.serial(f"{office}发改能审", str(year), 20, 3)
            return f"{office}发改能审〔{year}〕{serial}号"
        case K.LAND_PRE_REVIEW | K.LAND_PLANNING_PERMIT | K.WORKS_PLANNING_PERMIT:
            words: dict[str, str] = {
                K.LAND_PRE_REVIEW: "用字",
                K.LAND_PLANNING_PERMIT: "地字",
                K.WORKS_PLANNING_PERMIT: "建字",
            }
            word = words[kind]
            serial = registry.serial(f"{word}{host}", str(year), 200, 8)
            return f"{word}第{host}{year}{serial:05d}号"
        case K.CONSTRUCTION_PERMIT:
            serial = registry.serial(f"施工{host}", on.isoformat(), 1, 1)
            return f"{host}{on:%Y%m%d}{serial:02d}01"
        case _:
            district = names.PLACES_BY_CODE[host].name
            serial = registry.serial(f"不动产{host}", str(year), 30_000, 400)
            return f"鲁（{year}）青岛市{district}不动产权第{serial:07d}号"


@dataclass(frozen=True)
class Progress:
    """How far a project has come: the number of needed procedures done, and by when."""

    done: int
    last_done_on: date
    next_in_progress: bool = True


def progress_for(
    rng: random.Random,
    needed: int,
    *,
    actual_start: date | None,
    reserve_stage: str,
    start_overdue: bool,
    as_of: date,
) -> Progress:
    """The progress that a started project, a coming new start or a reserve stage implies."""
    if actual_start is not None:
        return Progress(needed, actual_start - timedelta(days=rng.randint(0, 30)), False)
    recent = as_of - timedelta(days=rng.randint(3, 45))
    if not reserve_stage:  # a new start that has not started yet
        missing = 1 if start_overdue or rng.random() < 0.6 else 2
        return Progress(max(0, needed - missing), recent)
    match STAGE_INDEX[reserve_stage]:
        case 0:
            return Progress(0, recent, rng.random() < 0.4)
        case 1:
            return Progress(rng.randint(0, 1), recent)
        case 2:
            return Progress(min(2, needed - 1), recent)
        case 3:
            return Progress(max(2, needed - 3), recent)
        case _:
            return Progress(needed - 1, recent)


def checklist(
    rng: random.Random,
    registry: Registry,
    *,
    not_needed: frozenset[str],
    progress: Progress,
    place: Place,
    city_level: bool,
    code_type: str,
) -> tuple[ProcedureSpec, ...]:
    """All eight procedures, in the glossary's order, consistent with the progress."""
    needed: list[str] = [kind for kind in ORDER if kind not in not_needed]
    dates: dict[str, date] = {}
    on = progress.last_done_on
    for kind in reversed(needed[: progress.done]):
        dates[kind] = on
        on -= timedelta(days=rng.randint(12, 80))
    rows: dict[str, ProcedureSpec] = {}
    for index, kind in enumerate(needed):
        if kind in dates:
            number = document_number(registry, kind, dates[kind], place, city_level, code_type)
            rows[kind] = ProcedureSpec(str(kind), str(S.DONE), dates[kind], number)
        elif index == progress.done and progress.next_in_progress:
            rows[kind] = ProcedureSpec(str(kind), str(S.IN_PROGRESS))
        else:
            rows[kind] = ProcedureSpec(str(kind), str(S.PENDING))
    for kind in not_needed:
        rows[kind] = ProcedureSpec(str(kind), str(S.NOT_NEEDED))
    return tuple(rows[kind] for kind in K.values)

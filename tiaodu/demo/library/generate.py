"""The demo city as plain values: `generate(year=..., as_of=..., projects=..., seed=...)`.

Everything is drawn from one `random.Random(seed)` in a fixed order, so the same arguments
give the same `DemoSpec` (and the same `DemoSpec.digest()`) wherever it runs.
"""

import math
import random
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tiaodu.core.roles import Role
from tiaodu.demo.library import names, procedures, timeline
from tiaodu.demo.library.names import Place
from tiaodu.demo.library.people import (
    OWNER_SECTORS,
    NameBook,
    Organisation,
    build_organisation,
    landline,
    mobile,
)
from tiaodu.demo.library.spec import (
    AccountSpec,
    DemoSpec,
    ListSpec,
    PlanSpec,
    ProjectSpec,
    UnitSpec,
)
from tiaodu.demo.library.templates import TEMPLATES, Template, available, compose, place_label
from tiaodu.projects.choices import AnnualPlanLevel as L
from tiaodu.projects.choices import AnnualPlanNature as N
from tiaodu.projects.choices import ProcedureKind as K
from tiaodu.projects.choices import ProcedureStatus as S
from tiaodu.projects.choices import ProjectCategory as C
from tiaodu.projects.choices import ProjectFundingType as F

PASSWORD = "Tiaodu@2026"
DEFAULT_PROJECTS = 1200
DEFAULT_SEED = 1

PROVINCIAL_LIST = "省重点项目"
MUNICIPAL_LIST = "市重点项目"
DOUBLE_HUNDRED_LIST = "市“双百”项目"
BOND_LIST = "专项债券项目"
LIST_DESCRIPTIONS = {
    PROVINCIAL_LIST: "山东省{year}年省重点项目名单中的本市项目",
    MUNICIPAL_LIST: "青岛市{year}年市级重点项目（含省重点项目）",
    DOUBLE_HUNDRED_LIST: "{year}年百个重点产业项目和百个重点基础设施项目",
    BOND_LIST: "{year}年使用地方政府专项债券资金的项目",
}
LEVEL_SHARES = {L.PROVINCIAL: 0.12, L.MUNICIPAL: 0.50}
MIN_INVESTMENT, MAX_INVESTMENT = 10_000, 3_000_000  # 万元: 1亿 to 300亿


@dataclass
class Draft:
    """A project while it is being drawn."""

    place: Place
    template: Template
    owner: UnitSpec
    name: str
    content: str
    total: Decimal
    funding_type: str
    nature: str
    location: str
    longitude: Decimal
    latitude: Decimal
    contact_name: str
    contact_phone: str
    level: str = str(L.COUNTY)


def generate(
    *, year: int, as_of: date, projects: int = DEFAULT_PROJECTS, seed: int = DEFAULT_SEED
) -> DemoSpec:
    """The whole demo: units, people, lists, projects with plans and procedures, accounts."""
    if not date(year, 1, 1) <= as_of <= date(year, 12, 31):
        raise ValueError(f"the as-of date {as_of} is not in the demo year {year}")
    if projects < 1:
        raise ValueError("the demo needs at least one project")
    rng = random.Random(seed)
    book = NameBook(rng)
    org = build_organisation(rng, projects, book)
    used: set[str] = set()
    drafts = [_draft(rng, org, book, used, year) for _ in range(projects)]
    _assign_levels(rng, drafts)
    registry = procedures.Registry(rng)
    specs = [_project(rng, org, registry, draft, year, as_of) for draft in drafts]
    lists, specs = _lists(rng, specs, year)
    return DemoSpec(
        seed=seed,
        year=year,
        as_of=as_of,
        root_code=names.ROOT_CODE,
        zones=names.ZONE_NAMES,
        units=tuple(org.units),
        people=tuple(org.people),
        lists=lists,
        projects=tuple(specs),
        accounts=_accounts(org, book, specs),
        password=PASSWORD,
    )


def _owner(rng: random.Random, org: Organisation, place: Place, template: Template) -> UnitSpec:
    sectors = OWNER_SECTORS[template.owner]
    local = [unit for unit in org.owners[place.name] if unit.sector in sectors]
    city = [unit for unit in org.owners[""] if unit.sector in sectors]
    if city and (not local or rng.random() < 0.12):
        return rng.choice(city)
    if local:
        return rng.choice(local)
    return org.owners[place.name][0]  # the place's own investment company


def _name(
    rng: random.Random, template: Template, place: Place, year: int, owner: UnitSpec, used: set[str]
) -> tuple[str, str]:
    label = place_label(place)
    name = content = ""
    for attempt in range(12):
        brand = owner.brand if attempt < 3 else ""
        name, content = compose(template, rng, place, year, brand)
        if attempt >= 6 and not name.startswith(label):
            name = label + name
        if name not in used:
            used.add(name)
            return name, content
    for town in place.towns:
        if f"{town}{name}" not in used:
            used.add(f"{town}{name}")
            return f"{town}{name}", content
    number = 2
    while f"{name}（{number}）" in used:
        number += 1
    used.add(f"{name}（{number}）")
    return f"{name}（{number}）", content


def _investment(rng: random.Random, template: Template) -> Decimal:
    value = template.median * 10_000 * math.exp(rng.gauss(0, template.sigma))
    value = min(max(value, MIN_INVESTMENT), MAX_INVESTMENT)
    step = Decimal(100 if value >= 100_000 else 10)
    return (Decimal(f"{value:.2f}") / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def _coordinate(value: float, bounds: tuple[float, float]) -> Decimal:
    return Decimal(f"{min(max(value, bounds[0]), bounds[1]):.6f}")


def _draft(
    rng: random.Random, org: Organisation, book: NameBook, used: set[str], year: int
) -> Draft:
    place = rng.choices(names.PLACES, [place.weight for place in names.PLACES])[0]
    choices = [template for template in TEMPLATES if available(template, place)]
    template = rng.choices(choices, [template.weight for template in choices])[0]
    owner = _owner(rng, org, place, template)
    name, content = _name(rng, template, place, year, owner, used)
    total = _investment(rng, template)
    funding = str(F.GOVERNMENT if rng.random() < template.government else F.ENTERPRISE)
    nature = str(timeline.weighted(rng, timeline.NATURES))
    town, road = rng.choice(place.towns), rng.choice(place.roads)
    longitude = place.longitude + rng.uniform(-place.radius, place.radius)
    latitude = place.latitude + rng.uniform(-place.radius, place.radius) * 0.8
    phone = landline(rng) if rng.random() < 0.75 else mobile(rng)
    return Draft(
        place=place,
        template=template,
        owner=owner,
        name=name,
        content=content,
        total=total,
        funding_type=funding,
        nature=nature,
        location=f"{place.name}{town}，{road}{rng.choice(names.DIRECTIONS)}",
        longitude=_coordinate(longitude, names.LONGITUDE_RANGE),
        latitude=_coordinate(latitude, names.LATITUDE_RANGE),
        contact_name=book.draw(),
        contact_phone=phone,
    )


def _assign_levels(rng: random.Random, drafts: list[Draft]) -> None:
    """Provincial ~12% and municipal ~50%, favouring the larger projects; county the rest."""
    scores = [float(draft.total) * math.exp(rng.gauss(0, 0.6)) for draft in drafts]
    ranked = sorted(range(len(drafts)), key=lambda index: (-scores[index], index))
    provincial = round(len(drafts) * LEVEL_SHARES[L.PROVINCIAL])
    municipal = provincial + round(len(drafts) * LEVEL_SHARES[L.MUNICIPAL])
    for position, index in enumerate(ranked):
        if position < provincial:
            drafts[index].level = str(L.PROVINCIAL)
        elif position < municipal:
            drafts[index].level = str(L.MUNICIPAL)


def _project(
    rng: random.Random,
    org: Organisation,
    registry: procedures.Registry,
    draft: Draft,
    year: int,
    as_of: date,
) -> ProjectSpec:
    template, place = draft.template, draft.place
    produces = template.category == C.INDUSTRY or template.owner == "energy"
    line = timeline.draw_timeline(
        rng, nature=draft.nature, months=template.months, year=year, as_of=as_of, produces=produces
    )
    previous = timeline.previous_plan(rng, line, year, draft.level, draft.total)
    plans = (
        timeline.with_year_to_date(previous, line, as_of) if previous is not None else None,
        timeline.with_year_to_date(
            timeline.current_plan(rng, line, year, draft.level, draft.total), line, as_of
        ),
    )
    city_level = draft.level != L.COUNTY
    code_type = procedures.code_kind(draft.funding_type, template.authorized)
    not_needed = template.not_needed
    small = draft.total < 50_000 and template.category != C.INDUSTRY
    if small and rng.random() < 0.5:
        not_needed = not_needed | {K.ENERGY_ASSESSMENT}
    needed = sum(1 for kind in procedures.ORDER if kind not in not_needed)
    progress = procedures.progress_for(
        rng,
        needed,
        actual_start=line.actual_start,
        reserve_stage=line.reserve_stage,
        start_overdue=line.start_overdue(as_of),
        as_of=as_of,
    )
    checklist = procedures.checklist(
        rng,
        registry,
        not_needed=not_needed,
        progress=progress,
        place=place,
        city_level=city_level,
        code_type=code_type,
    )
    approval = next(row for row in checklist if row.kind == K.PROJECT_APPROVAL)
    if approval.status == S.DONE and approval.completed_on is not None:
        chance, code_year = 0.88, approval.completed_on.year
    else:
        chance, code_year = (0.5 if approval.status == S.IN_PROGRESS else 0.15), as_of.year
    code = None
    if rng.random() < chance:
        code = registry.project_code(code_year, place, template.industry_code, code_type)
    responsible_unit = template.department if city_level else org.department_of[place.name]
    return ProjectSpec(
        code=code,
        name=draft.name,
        place=place.name,
        category=str(template.category),
        industry=template.industry,
        funding_type=draft.funding_type,
        construction_content=draft.content,
        total_investment=draft.total,
        location=draft.location,
        longitude=draft.longitude,
        latitude=draft.latitude,
        owner_unit=draft.owner.name,
        responsible_unit=responsible_unit,
        responsible_person=rng.choice(org.heads[responsible_unit]),
        municipal_leader=rng.choice(org.municipal_leaders) if city_level else None,
        sponsoring_leader=rng.choice(org.sponsoring_leaders[place.name]),
        service_officer=rng.choice(org.service_officers[place.name]),
        contact_name=draft.contact_name,
        contact_phone=draft.contact_phone,
        actual_start=line.actual_start,
        actual_completion=line.actual_completion,
        actual_production=line.actual_production,
        statistics_inclusion=line.statistics_inclusion,
        plans=tuple(plan for plan in plans if plan is not None),
        procedures=checklist,
    )


def _members(rng: random.Random, specs: list[ProjectSpec], year: int) -> dict[str, set[int]]:
    """The projects on each list of a year (by position in `specs`)."""
    entries = [(index, spec, plan) for index, spec in enumerate(specs) if (plan := spec.plan(year))]
    members: dict[str, set[int]] = {name: set() for name in LIST_DESCRIPTIONS}
    for index, spec, plan in entries:
        if plan.level == L.PROVINCIAL:
            members[PROVINCIAL_LIST].add(index)
        if plan.level in {L.PROVINCIAL, L.MUNICIPAL}:
            members[MUNICIPAL_LIST].add(index)
        public_works = spec.category in {C.INFRASTRUCTURE, C.SOCIAL, C.ECOLOGY}
        bond_eligible = spec.funding_type == F.GOVERNMENT and public_works
        if bond_eligible and plan.nature != N.RESERVE and rng.random() < 0.35:
            members[BOND_LIST].add(index)
    size = max(5, round(100 * len(specs) / DEFAULT_PROJECTS))
    for category in (C.INDUSTRY, C.INFRASTRUCTURE):
        building = [
            (index, spec)
            for index, spec, plan in entries
            if spec.category == category and plan.nature != N.RESERVE
        ]
        building.sort(key=lambda item: (-item[1].total_investment, item[0]))
        members[DOUBLE_HUNDRED_LIST].update(index for index, _spec in building[:size])
    return members


def _lists(
    rng: random.Random, specs: list[ProjectSpec], year: int
) -> tuple[tuple[ListSpec, ...], list[ProjectSpec]]:
    lists: list[ListSpec] = []
    on_lists: dict[tuple[int, int], list[str]] = {}
    for list_year in (year - 1, year):
        for name, indices in _members(rng, specs, list_year).items():
            description = LIST_DESCRIPTIONS[name].format(year=list_year)
            lists.append(ListSpec(list_year, name, description))
            for index in sorted(indices):
                on_lists.setdefault((index, list_year), []).append(name)
    result = []
    for index, spec in enumerate(specs):
        plans = tuple(
            _with_lists(spec, plan, tuple(on_lists.get((index, plan.year), [])))
            for plan in spec.plans
        )
        result.append(replace(spec, plans=plans))
    return tuple(lists), result


def _with_lists(spec: ProjectSpec, plan: PlanSpec, names: tuple[str, ...]) -> PlanSpec:
    """The entry on its lists; on the special-bond list, with its funds and their spending."""
    plan = replace(plan, lists=names)
    if BOND_LIST in names:
        plan = timeline.with_bond_funds(plan, spec.actual_start, spec.name)
    return plan


def _closest(counts: dict[str, int], candidates: list[str], target: float) -> str:
    return min(candidates, key=lambda name: abs(counts.get(name, 0) - target))


def _accounts(
    org: Organisation, book: NameBook, specs: list[ProjectSpec]
) -> tuple[AccountSpec, ...]:
    led: dict[str, int] = {}
    served: dict[str, int] = {}
    owned: dict[str, int] = {}
    for spec in specs:
        if spec.municipal_leader:
            led[spec.municipal_leader] = led.get(spec.municipal_leader, 0) + 1
        served[spec.service_officer] = served.get(spec.service_officer, 0) + 1
        owned[spec.owner_unit] = owned.get(spec.owner_unit, 0) + 1
    leader = _closest(led, org.municipal_leaders, len(specs) / 30)
    officers = [name for names_ in org.service_officers.values() for name in names_]
    officer = _closest(served, officers, len(specs) / 60)
    officer_unit = next(person.unit for person in org.people if person.name == officer)
    owners = [unit.name for unit in org.units if unit.sector]
    small = [name for name in owners if 3 <= owned.get(name, 0) <= 5]
    owner = _closest(owned, small or owners, 4)
    commission = names.DEVELOPMENT_COMMISSION
    huangdao = names.PLACES_BY_CODE["370211"]

    def account(username: str, role: str, **fields: object) -> AccountSpec:
        person = fields.get("person")
        display_name = str(person) if person else book.draw()
        phone = "" if person else mobile(book.rng)
        defaults: dict[str, object] = {"scope": None, "unit": commission, "phone": phone}
        return AccountSpec(username, display_name, str(role), **(defaults | fields))  # type: ignore[arg-type]

    return (
        account("dispatcher", Role.DISPATCHER, scope=""),
        account(
            "district",
            Role.DISPATCHER,
            scope=huangdao.name,
            unit=names.district_department(huangdao),
        ),
        account("leader", Role.LEADER, scope="", unit="", person=org.mayor),
        account("leader2", Role.LEADER, unit="", assigned_only=True, person=leader),
        account(
            "handler",
            Role.DEPARTMENT_HANDLER,
            scope=names.HOUSING_BUREAU,
            unit=names.HOUSING_BUREAU,
        ),
        account("officer", Role.SERVICE_OFFICER, unit=officer_unit, person=officer),
        account("reporter", Role.REPORTER, scope=owner, unit=owner),
        account("bank", Role.FINANCIAL_INSTITUTION, unit=None),
        account("sysadmin", Role.SYSTEM_ADMIN),
        account("secadmin", Role.SECURITY_ADMIN),
        account("auditor", Role.AUDITOR),
    )

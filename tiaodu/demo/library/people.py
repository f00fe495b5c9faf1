"""The demo city's departments, owner units and people, drawn from the word lists."""

import random
from dataclasses import dataclass, field

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.demo.library import names
from tiaodu.demo.library.names import Place
from tiaodu.demo.library.spec import PersonSpec, UnitSpec

# The owner sectors that may build each kind of project (templates.Template.owner).
OWNER_SECTORS: dict[str, tuple[str, ...]] = {
    "industry": ("industry",),
    "infrastructure": ("urban_investment", "transport"),
    "metro": ("metro",),
    "port": ("port",),
    "energy": ("energy",),
    "health": ("health",),
    "education": ("education",),
    "housing": ("urban_investment", "housing"),
    "social": ("urban_investment",),
    "water": ("water", "urban_investment"),
    "ecology": ("environment", "urban_investment"),
    "commerce": ("commerce", "housing"),
}
# Company kinds that fill a place's owner units after its fixed ones, by weight.
COMPANY_SECTORS = (
    ("industry", 52),
    ("commerce", 14),
    ("housing", 10),
    ("environment", 8),
    ("transport", 8),
    ("energy", 4),
)
# The city's own groups (under the city, not a district).
CITY_GROUPS = (
    ("metro", "轨道交通集团有限公司"),
    ("port", "港口集团有限公司"),
    ("energy", "能源集团有限公司"),
    ("water", "水务集团有限公司"),
    ("urban_investment", "城市建设投资集团有限公司"),
    ("commerce", "文化旅游集团有限公司"),
)

# GB 32100 (unified social credit code) and GB 11714 (organisation code) check characters.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check(body: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(body, ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def credit_code(rng: random.Random, prefix: str, region_code: str) -> str:
    """An 18-character unified social credit code with valid check characters.

    `prefix` is the registering authority and kind: "91" a company, "11" a government body.
    """
    body = "".join(rng.choice(CREDIT_ALPHABET) for _ in range(8))
    first17 = prefix + region_code + body + _org_code_check(body)
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return first17 + CREDIT_ALPHABET[(31 - total % 31) % 31]


def landline(rng: random.Random) -> str:
    return f"0532-8{rng.randint(0, 9_999_999):07d}"


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randint(0, 999_999_999):09d}"


@dataclass
class NameBook:
    """Hands out person names that are unique within the demo."""

    rng: random.Random
    used: set[str] = field(default_factory=set)

    def draw(self) -> str:
        while True:
            given_length = 1 if self.rng.random() < 0.3 else 2
            given = "".join(self.rng.choice(names.GIVEN) for _ in range(given_length))
            name = self.rng.choice(names.SURNAMES) + given
            if name not in self.used and len(set(given)) == len(given):
                self.used.add(name)
                return name


@dataclass
class Organisation:
    """The units and people of the demo, with the lookups the project generator needs."""

    units: list[UnitSpec] = field(default_factory=list)
    people: list[PersonSpec] = field(default_factory=list)
    owners: dict[str, list[UnitSpec]] = field(default_factory=dict)  # by place ("" = city)
    department_of: dict[str, str] = field(default_factory=dict)  # place -> 发改局
    heads: dict[str, list[str]] = field(default_factory=dict)  # unit -> responsible persons
    municipal_leaders: list[str] = field(default_factory=list)
    sponsoring_leaders: dict[str, list[str]] = field(default_factory=dict)
    service_officers: dict[str, list[str]] = field(default_factory=dict)
    mayor: str = ""

    def add_person(self, person: PersonSpec) -> str:
        self.people.append(person)
        return person.name


def _owner_name(sector: str, brand: str, place: Place, rng: random.Random) -> str:
    label = place.short
    match sector:
        case "industry":
            trade = rng.choice(names.TRADES)
            return rng.choice(
                (
                    f"青岛{brand}{trade}有限公司",
                    f"山东{brand}{trade}股份有限公司",
                    f"{brand}集团有限公司",
                    f"青岛{label}{brand}{trade}有限公司",
                )
            )
        case "commerce":
            return rng.choice(
                (
                    f"青岛{brand}置业有限公司",
                    f"青岛{brand}文化旅游发展有限公司",
                    f"青岛{brand}商业管理有限公司",
                    f"青岛{label}{brand}投资发展有限公司",
                )
            )
        case "housing":
            return f"青岛{label}{brand}房地产开发有限公司"
        case "environment":
            return f"青岛{brand}环保科技有限公司"
        case "transport":
            return f"青岛{label}{brand}交通发展有限公司"
        case _:
            return f"青岛{brand}新能源有限公司"


def _fixed_owners(place: Place) -> list[tuple[str, str]]:
    label = place.short if place.is_zone else place.name
    investor = "开发建设集团有限公司" if place.is_zone else "城市建设投资集团有限公司"
    return [
        ("urban_investment", f"青岛{place.short}{investor}"),
        ("education", f"{label}教育和体育局"),
        ("health", f"{label}卫生健康局"),
        ("water", f"青岛{place.short}水务有限公司"),
    ]


def _unit(
    rng: random.Random, name: str, parent: str, code: str, sector: str = "", brand: str = ""
) -> UnitSpec:
    is_owner = bool(sector)
    prefix = "91" if is_owner and not name.endswith("局") else "11"
    return UnitSpec(
        name=name,
        kind=str(OrgUnitKind.OWNER_UNIT if is_owner else OrgUnitKind.DEPARTMENT),
        parent=parent,
        sector=sector,
        brand=brand,
        credit_code=credit_code(rng, prefix, code),
        contact_phone=landline(rng),
    )


def build_organisation(rng: random.Random, project_count: int, book: NameBook) -> Organisation:
    """Departments, owner units (about a quarter as many as projects) and the people."""
    org = Organisation()
    root = names.ROOT_CODE
    total_weight = sum(place.weight for place in names.PLACES)
    for department in names.DEPARTMENTS:
        org.units.append(_unit(rng, department, "", root))
    for place in names.PLACES:
        department = names.district_department(place)
        org.department_of[place.name] = department
        org.units.append(_unit(rng, department, place.name, place.host_code))

    brands = list(names.BRANDS)
    rng.shuffle(brands)
    taken: set[str] = set()

    def next_brand() -> str:
        brand = brands.pop(0)
        brands.append(brand)
        return brand

    org.owners[""] = []
    for sector, suffix in CITY_GROUPS:
        brand = next_brand()
        unit = _unit(rng, f"青岛{brand}{suffix}", "", root, sector, brand)
        org.units.append(unit)
        org.owners[""].append(unit)
        taken.add(unit.name)

    owner_total = max(24, min(300, project_count // 4))
    sectors, weights = zip(*COMPANY_SECTORS, strict=True)
    for place in names.PLACES:
        target = max(6, round(owner_total * place.weight / total_weight))
        owners = org.owners.setdefault(place.name, [])
        for sector, name in _fixed_owners(place):
            unit = _unit(rng, name, place.name, place.host_code, sector)
            owners.append(unit)
            taken.add(name)
        while len(owners) < target:
            sector = rng.choices(sectors, weights)[0]
            brand = next_brand()
            name = _owner_name(sector, brand, place, rng)
            if name in taken:
                continue
            taken.add(name)
            owners.append(_unit(rng, name, place.name, place.host_code, sector, brand))
        org.units.extend(owners)

    _people(org, rng, project_count, book)
    return org


def _people(org: Organisation, rng: random.Random, project_count: int, book: NameBook) -> None:
    total_weight = sum(place.weight for place in names.PLACES)
    org.mayor = org.add_person(PersonSpec(book.draw(), "市长", "", mobile(rng), "mayor"))
    for title in names.MUNICIPAL_LEADER_TITLES:
        person = PersonSpec(book.draw(), title, "", mobile(rng), "municipal_leader")
        org.municipal_leaders.append(org.add_person(person))
    for unit in org.units:
        if unit.kind != OrgUnitKind.DEPARTMENT:
            continue
        is_commission = unit.name.endswith("委员会")
        titles = names.COMMISSION_TITLES if is_commission else names.BUREAU_TITLES
        org.heads[unit.name] = [
            org.add_person(PersonSpec(book.draw(), title, unit.name, mobile(rng), "responsible"))
            for title in titles
        ]
    for place in names.PLACES:
        expected = project_count * place.weight / total_weight
        leader_title = names.district_leader_title(place)
        org.sponsoring_leaders[place.name] = [
            org.add_person(
                PersonSpec(book.draw(), leader_title, place.name, mobile(rng), "sponsoring_leader")
            )
            for _ in range(3 + place.weight // 6)
        ]
        department = org.department_of[place.name]
        org.service_officers[place.name] = [
            org.add_person(
                PersonSpec(book.draw(), "首席服务员", department, mobile(rng), "service_officer")
            )
            for _ in range(max(1, round(expected / 20)))
        ]

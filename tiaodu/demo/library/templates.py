"""Kinds of project the demo city builds, and how their names and descriptions are composed.

A template gives a category, name patterns, a description pattern, the usual size (a
log-normal around `median` 亿元), the construction period, the industry (所属行业 and the
two-digit group of the project code), the municipal department responsible for it, the
kind of owner, the share financed by government, and the procedures it does not need.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass

from tiaodu.demo.library import names
from tiaodu.demo.library.names import Place
from tiaodu.projects.choices import ProcedureKind as K
from tiaodu.projects.choices import ProjectCategory as C

# Procedures a kind of work does without (前期手续 that do not apply).
LINEAR = frozenset({K.PROPERTY_CERTIFICATE})
RENOVATION = frozenset(
    {K.LAND_PRE_REVIEW, K.LAND_PLANNING_PERMIT, K.PROPERTY_CERTIFICATE, K.ENERGY_ASSESSMENT}
)
WATERWORKS = frozenset(
    {K.LAND_PLANNING_PERMIT, K.WORKS_PLANNING_PERMIT, K.PROPERTY_CERTIFICATE, K.ENERGY_ASSESSMENT}
)
NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Template:
    category: str
    patterns: tuple[str, ...]
    content: str
    median: float  # 亿元
    sigma: float
    months: tuple[int, int]  # construction period
    industry: str  # 所属行业
    industry_code: str  # the project code's two-digit industry group
    department: str  # the municipal responsible unit
    owner: str  # the kind of owner unit: see people.OWNER_KINDS
    government: float  # share of government investment
    weight: int
    not_needed: frozenset[str] = NONE
    needs: str = ""  # "rivers", "ports", "urban": only where the place has them
    authorized: bool = False  # enterprise projects that need 核准 (code type 02)


def T(category: str, patterns: str, content: str, *args: object, **kwargs: object) -> Template:
    """A template from '|'-separated name patterns."""
    return Template(category, tuple(patterns.split("|")), content, *args, **kwargs)  # type: ignore[arg-type]


MANUFACTURING = "制造业"
# fmt: off
TEMPLATES: tuple[Template, ...] = (
    # 产业 industry
    T(C.INDUSTRY, "{brand}智能制造产业园项目{phase}|{brand}智能制造产业园",
      "规划用地{land}亩，总建筑面积{area}万平方米，建设智能化生产车间、研发中心及配套设施，"
      "达产后年产值约{output}亿元。",
      12, 0.8, (18, 36), MANUFACTURING, "35", "市工业和信息化局", "industry", 0.0, 7),
    T(C.INDUSTRY, "{brand}新能源汽车零部件生产基地{phase}|{brand}新能源汽车核心部件项目",
      "总建筑面积{area}万平方米，建设电驱动系统、电池包壳体等零部件生产线，"
      "达产后年产值约{output}亿元。",
      20, 0.8, (18, 36), "汽车制造业", "36", "市工业和信息化局", "industry", 0.0, 5),
    T(C.INDUSTRY, "年产{amount}万{unit}{product}生产线项目|{brand}年产{amount}万{unit}{product}项目",
      "新建厂房{area}万平方米，购置自动化生产设备{stations}台（套），形成年产{amount}万{unit}"
      "{product}的生产能力。",
      6, 0.7, (12, 24), MANUFACTURING, "38", "市工业和信息化局", "industry", 0.0, 6),
    T(C.INDUSTRY, "{brand}集成电路封装测试项目|{brand}半导体材料产业化项目",
      "建设洁净厂房及动力站房{area}万平方米，建设先进封装测试生产线，达产后年产值约{output}亿元。",
      30, 0.7, (18, 36), "计算机、通信和其他电子设备制造业", "39", "市工业和信息化局",
      "industry", 0.0, 3, authorized=True),
    T(C.INDUSTRY, "{brand}生物医药产业园{phase}|{brand}海洋生物医药研发中心",
      "规划用地{land}亩，建设GMP标准厂房、研发中试平台及公共服务平台{area}万平方米。",
      10, 0.8, (18, 36), "医药制造业", "27", "市科学技术局", "industry", 0.0, 4),
    T(C.INDUSTRY, "{brand}氢能装备产业园|{brand}高端装备制造基地{phase}",
      "规划用地{land}亩，建设装备总装车间、关键零部件车间及检测中心，达产后年产值约{output}亿元。",
      15, 0.8, (18, 36), "专用设备制造业", "35", "市工业和信息化局", "industry", 0.0, 4),
    T(C.INDUSTRY, "{brand}冷链物流园项目|{short}{brand}智慧物流园",
      "规划用地{land}亩，建设冷库{amount}万吨、分拣中心及配套用房{area}万平方米。",
      5, 0.7, (12, 24), "交通运输、仓储和邮政业", "59", "市商务局", "industry", 0.0, 3),
    T(C.INDUSTRY, "{brand}工业互联网创新中心|{brand}数据中心项目{phase}",
      "建设机房楼及运维楼{area}万平方米，部署机柜{stations}00个及配套供电制冷系统。",
      8, 0.8, (12, 30), "信息传输、软件和信息技术服务业", "65", "市工业和信息化局",
      "industry", 0.0, 3),
    T(C.INDUSTRY, "{brand}高端化工新材料项目|{brand}锂电池材料项目{phase}",
      "建设生产装置、罐区及公辅工程，达产后年产新材料{amount}万吨，年产值约{output}亿元。",
      25, 0.9, (18, 36), "化学原料和化学制品制造业", "26", "市工业和信息化局", "industry", 0.0, 3,
      authorized=True),
    T(C.INDUSTRY, "{brand}食品产业园项目|{brand}绿色食品精深加工项目",
      "新建生产车间、冷藏库及研发楼{area}万平方米，达产后年加工农产品{amount}万吨。",
      3, 0.6, (12, 24), "农副食品加工业", "13", "市工业和信息化局", "industry", 0.0, 3),
    # 基础设施 infrastructure
    T(C.INFRASTRUCTURE, "{road}快速路改造工程|{road}（{town}段）改造工程|{road}拓宽改造工程",
      "道路全长{km}公里，双向{lanes}车道，同步建设排水、照明、绿化及交通设施。",
      12, 0.8, (18, 36), "土木工程建筑业", "48", "市住房和城乡建设局", "infrastructure", 0.9, 6,
      not_needed=LINEAR),
    T(C.INFRASTRUCTURE, "地铁{line}号线{section}",
      "线路全长{km}公里，设车站{stations}座，全部为地下线，同步建设车辆段及控制中心。",
      220, 0.25, (48, 72), "铁路运输业", "53", "市住房和城乡建设局", "metro", 1.0, 1,
      not_needed=LINEAR, needs="urban"),
    T(C.INFRASTRUCTURE, "{port}港区{berths}泊位码头工程|{port}港区集装箱码头改造工程",
      "建设{amount}万吨级泊位及堆场、道路等配套设施，设计年通过能力{output}00万吨。",
      40, 0.6, (24, 48), "水上运输业", "55", "市交通运输局", "port", 0.2, 2,
      needs="ports", authorized=True),
    T(C.INFRASTRUCTURE, "{highway}{district}段改扩建工程",
      "路线全长{km}公里，按双向{lanes}车道高速公路标准改扩建，设互通立交{stations}处。",
      60, 0.5, (30, 48), "土木工程建筑业", "48", "市交通运输局", "infrastructure", 1.0, 2,
      not_needed=LINEAR),
    T(C.INFRASTRUCTURE, "{town}220千伏输变电工程|{town}110千伏输变电工程",
      "新建变电站1座，主变容量{mw}兆伏安，配套架设及改造线路{km}公里。",
      3, 0.6, (12, 24), "电力、热力生产和供应业", "44", "市发展和改革委员会", "energy", 0.0, 1,
      authorized=True),
    T(C.INFRASTRUCTURE, "{short}{mw}兆瓦光伏发电项目|{short}{brand}海上风电项目",
      "建设装机容量{mw}兆瓦的发电场站、升压站及送出线路{km}公里。",
      15, 0.9, (12, 30), "电力、热力生产和供应业", "44", "市发展和改革委员会", "energy", 0.0, 2,
      authorized=True),
    T(C.INFRASTRUCTURE, "{district}城区燃气管网改造工程|{district}供热管网改造工程",
      "改造老旧管网{km}公里，新建调压站（换热站）{stations}座。",
      3, 0.6, (12, 24), "燃气生产和供应业", "45", "市城市管理局", "infrastructure", 0.8, 3,
      not_needed=RENOVATION),
    T(C.INFRASTRUCTURE, "{town}片区市政道路配套工程|{short}{brand}片区基础设施配套项目",
      "新建市政道路{km}公里及给排水、电力、通信等管线配套。",
      4, 0.7, (12, 24), "土木工程建筑业", "48", "市住房和城乡建设局", "infrastructure", 1.0, 5,
      not_needed=LINEAR),
    # 民生社会事业 social
    T(C.SOCIAL, "{district}{hospital}新院区|{district}{hospital}迁建工程",
      "总建筑面积{area}万平方米，设置床位{beds}张，建设门急诊、医技、病房及配套用房。",
      10, 0.6, (24, 36), "卫生", "84", "市卫生健康委员会", "health", 1.0, 3),
    T(C.SOCIAL, "{district}第{number}中学扩建工程|{town}九年一贯制学校新建工程|"
      "{district}{brand}小学新建工程",
      "总建筑面积{area}万平方米，办学规模{classes}个班，建设教学楼、实验楼、风雨操场等。",
      2, 0.5, (12, 24), "教育", "83", "市教育局", "education", 1.0, 4),
    T(C.SOCIAL, "{town}安置房建设项目{phase}|{town}片区棚户区改造项目|{town}保障性租赁住房项目",
      "总建筑面积{area}万平方米，建设住宅{homes}套及配套公建、地下车库。",
      12, 0.7, (24, 36), "房屋建筑业", "47", "市住房和城乡建设局", "housing", 0.9, 5),
    T(C.SOCIAL, "{district}老旧小区改造工程{phase}|{town}老旧小区综合整治工程",
      "改造老旧小区{stations}个，涉及住户{homes}户，实施管网、外墙保温、加装电梯等改造。",
      2, 0.5, (8, 18), "房屋建筑业", "47", "市住房和城乡建设局", "housing", 1.0, 2,
      not_needed=RENOVATION),
    T(C.SOCIAL, "{district}养老服务中心|{district}全民健身中心|{district}文化艺术中心",
      "总建筑面积{area}万平方米，建设综合服务用房及室外活动场地。",
      3, 0.6, (18, 30), "社会工作", "85", "市民政局", "social", 1.0, 3),
    # 生态环保 ecology
    T(C.ECOLOGY, "{river}流域综合治理工程|{river}（{town}段）综合整治工程",
      "治理河道{km}公里，实施清淤疏浚、堤防加固、截污管网及滨河绿道建设。",
      6, 0.7, (12, 30), "水利管理业", "76", "市水务管理局", "water", 1.0, 4,
      not_needed=WATERWORKS, needs="rivers"),
    T(C.ECOLOGY, "{plant}污水处理厂提标改造工程|{district}{plant}污水处理厂扩建工程",
      "处理规模{tons}万吨/日，出水水质提升至地表水准Ⅳ类标准，配套建设管网{km}公里。",
      5, 0.6, (12, 24), "水的生产和供应业", "46", "市水务管理局", "water", 0.8, 3,
      not_needed=RENOVATION),
    T(C.ECOLOGY, "{mountain}矿山生态修复工程|{district}海绵城市建设项目|{short}海岸带整治修复工程",
      "实施生态修复面积{land}亩，建设雨水调蓄、植被恢复及生态廊道工程。",
      3, 0.7, (12, 24), "生态保护和环境治理业", "77", "市生态环境局", "ecology", 1.0, 2,
      not_needed=WATERWORKS),
    T(C.ECOLOGY, "{district}生活垃圾焚烧发电项目{phase}|{district}餐厨废弃物资源化处理项目",
      "日处理能力{amount}00吨，配套建设烟气净化、渗滤液处理及发电设施。",
      8, 0.6, (18, 30), "生态保护和环境治理业", "77", "市城市管理局", "ecology", 0.4, 1,
      authorized=True),
    # 其他 other
    T(C.OTHER, "{brand}国际金融中心|{brand}总部基地项目|{town}{brand}商业综合体",
      "总建筑面积{area}万平方米，建设超高层办公楼、商业及配套设施。",
      15, 0.8, (30, 48), "房地产业", "70", "市商务局", "commerce", 0.0, 4),
    T(C.OTHER, "{brand}文旅小镇{phase}|{short}{brand}滨海度假区|{town}乡村振兴示范片区",
      "规划面积{land}亩，建设文化展示、休闲度假、民宿及旅游配套设施。",
      8, 0.8, (24, 48), "文化、体育和娱乐业", "88", "市文化和旅游局", "commerce", 0.3, 3),
    T(C.OTHER, "{short}国际会展中心|{brand}城市更新项目",
      "总建筑面积{area}万平方米，建设展馆、会议中心及配套商业。",
      20, 0.7, (30, 48), "租赁和商务服务业", "72", "市发展和改革委员会", "commerce", 0.5, 1),
)
# fmt: on


def _chinese_number(number: int) -> str:
    """1–99 in Chinese numerals (第五十八中学)."""
    digits = names.CHINESE_NUMBERS
    tens, ones = divmod(number, 10)
    if tens == 0:
        return digits[ones - 1]
    head = "" if tens == 1 else digits[tens - 1]
    return f"{head}十{digits[ones - 1] if ones else ''}"


def _berths(rng: random.Random) -> str:
    first = rng.randint(1, 20)
    return f"{first}#-{first + 1}#"


Filler = Callable[[random.Random, Place, int], str]

# Placeholders, in the order they are drawn (the order keeps the draws reproducible).
FILLERS: tuple[tuple[str, Filler], ...] = (
    ("brand", lambda rng, place, year: rng.choice(names.BRANDS)),
    ("town", lambda rng, place, year: rng.choice(place.towns)),
    ("road", lambda rng, place, year: rng.choice(place.roads)),
    ("river", lambda rng, place, year: rng.choice(place.rivers)),
    ("port", lambda rng, place, year: rng.choice(names.PORTS[place.name])),
    ("highway", lambda rng, place, year: rng.choice(names.HIGHWAYS)),
    ("line", lambda rng, place, year: str(rng.randint(1, 16))),
    ("section", lambda rng, place, year: rng.choice(names.METRO_SECTIONS)),
    ("berths", lambda rng, place, year: _berths(rng)),
    ("hospital", lambda rng, place, year: rng.choice(names.HOSPITALS)),
    ("plant", lambda rng, place, year: rng.choice(names.PLANTS)),
    ("mountain", lambda rng, place, year: rng.choice(names.MOUNTAINS)),
    ("number", lambda rng, place, year: _chinese_number(rng.randint(2, 68))),
    ("phase", lambda rng, place, year: rng.choice(names.PHASES)),
    ("product", lambda rng, place, year: rng.choice(names.PRODUCTS)[0]),
    ("land", lambda rng, place, year: str(rng.randrange(50, 900, 10))),
    ("area", lambda rng, place, year: f"{rng.uniform(1.5, 60):.1f}"),
    ("output", lambda rng, place, year: str(rng.randint(5, 80))),
    ("km", lambda rng, place, year: f"{rng.uniform(1.2, 28):.1f}"),
    ("lanes", lambda rng, place, year: str(rng.choice((4, 6, 8)))),
    ("stations", lambda rng, place, year: str(rng.randint(6, 32))),
    ("beds", lambda rng, place, year: str(rng.randrange(300, 1600, 100))),
    ("classes", lambda rng, place, year: str(rng.choice((24, 36, 48, 54, 60)))),
    ("homes", lambda rng, place, year: str(rng.randrange(600, 5000, 10))),
    ("tons", lambda rng, place, year: str(rng.choice((5, 8, 10, 15, 20, 30)))),
    ("mw", lambda rng, place, year: str(rng.choice((50, 100, 200, 300, 500)))),
    ("amount", lambda rng, place, year: str(rng.choice((2, 3, 5, 10, 20, 30, 50)))),
)


def place_label(place: Place) -> str:
    """How a place reads inside a project name (a zone by its short name)."""
    return place.short if place.is_zone else place.name


def draw(texts: tuple[str, ...], rng: random.Random, place: Place, year: int) -> dict[str, str]:
    """The values of the placeholders the texts use; only those are drawn."""
    joined = "".join(texts)
    values = {"district": place_label(place), "short": place.short, "year": str(year)}
    for key, filler in FILLERS:
        if "{" + key + "}" in joined:
            values[key] = filler(rng, place, year)
    values["unit"] = dict(names.PRODUCTS).get(values.get("product", ""), "套")
    return values


def compose(
    template: Template, rng: random.Random, place: Place, year: int, brand: str = ""
) -> tuple[str, str]:
    """A project name and its construction content, drawn from the same values.

    `brand` (the owner's trade name) replaces a drawn one, so that 海创集团 builds the
    海创 industrial park.
    """
    pattern = rng.choice(template.patterns)
    values = draw((pattern, template.content), rng, place, year)
    if brand:
        values["brand"] = brand
    return pattern.format(**values), template.content.format(**values)


def available(template: Template, place: Place) -> bool:
    """Whether a kind of project can be built in a place."""
    match template.needs:
        case "rivers":
            return bool(place.rivers)
        case "ports":
            return place.name in names.PORTS
        case "urban":
            return place.urban and not place.is_zone
        case _:
            return True

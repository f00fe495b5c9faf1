"""The library's values in OC4IDS's codelists (docs/open-data.md has the same tables).

Each function is pure: a plan entry's nature and dates, a project's name and industry in;
a code of the OC4IDS 0.9 codelist out.
"""

from tiaodu.projects.choices import AnnualPlanNature, ProjectCategory, ReserveStage
from tiaodu.projects.models import AnnualPlan

# Reserve stages still deciding whether to build (projectStatus "identification"); the later
# stages prepare it (feasibility, permits, design: "preparation").
IDENTIFICATION_STAGES = frozenset({"", ReserveStage.AGREEMENT_SIGNED})


def project_status(plan: AnnualPlan) -> str:
    """projectStatus (closed): completed → completion; started, or continuing or completing
    in the plan → implementation; a reserve entry at its first stage → identification; the
    rest (a new start not yet started, a reserve entry further on) → preparation."""
    project = plan.project
    if project.actual_completion is not None:
        return "completion"
    if project.actual_start is not None or plan.nature in (
        AnnualPlanNature.CONTINUING,
        AnnualPlanNature.COMPLETING,
    ):
        return "implementation"
    if plan.nature == AnnualPlanNature.RESERVE and plan.reserve_stage in IDENTIFICATION_STAGES:
        return "identification"
    return "preparation"


# projectType (closed), read from the project's name: Chinese project names say 扩建, 改造…
# and no field of the library holds it. The first word found decides; none: construction.
TYPE_WORDS = (
    ("拆除", "decommissioning"),
    ("扩建", "expansion"),
    ("重建", "replacement"),
    ("翻建", "replacement"),
    ("改造", "rehabilitation"),
    ("改建", "rehabilitation"),
    ("修缮", "rehabilitation"),
)


def project_type(name: str) -> str:
    """projectType of a project called `name`."""
    for word, code in TYPE_WORDS:
        if word in name:
            return code
    return "construction"


# projectSector (open), from words of the industry (所属行业) and then the name; the first
# word found decides. A sub-sector comes with its sector, as OC4IDS asks.
SECTOR_WORDS = (
    (("机场", "航空"), "transport.air"),
    (("港口", "码头", "航道"), "transport.water"),
    (("地铁", "轨道交通", "公交"), "transport.urban"),
    (("铁路", "高铁"), "transport.rail"),
    (("公路", "道路", "桥梁", "隧道", "高速"), "transport.road"),
    (("交通", "物流"), "transport"),
    (("光伏", "太阳能"), "energy.solar"),
    (("风电", "风力"), "energy.wind"),
    (("水电站",), "energy.hydropower"),
    (("电力", "能源", "热力", "燃气", "储能", "电网"), "energy"),
    (("防洪", "堤防"), "naturalResources.floodProtection"),
    (("供水", "排水", "污水", "水务", "垃圾", "环卫"), "waterAndWaste"),
    (("通信", "5G", "数据中心", "信息"), "communications"),
    (("学校", "教育", "大学", "学院", "幼儿园"), "education"),
    (("医院", "卫生", "医疗", "养老"), "health"),
    (("文化", "体育", "旅游", "公园"), "cultureSportsAndRecreation"),
    (("保障房", "保障性住房", "安置", "棚户区", "公租房"), "socialHousing"),
    (("生态", "林业", "水利", "湿地"), "naturalResources"),
    (("政务", "办公"), "governance"),
)
# When no word matches: the category's sector, if it has one.
CATEGORY_SECTORS: dict[str, str] = {
    ProjectCategory.INDUSTRY: "economy",
    ProjectCategory.ECOLOGY: "naturalResources",
}


def project_sectors(*, industry: str, name: str, category: str) -> list[str]:
    """projectSector codes of a project: [] when nothing says which."""
    for text in (industry, name):
        for words, code in SECTOR_WORDS:
            if any(word in text for word in words):
                sector, _dot, _sub = code.partition(".")
                return [sector, code] if sector != code else [code]
    fallback = CATEGORY_SECTORS.get(category)
    return [fallback] if fallback else []

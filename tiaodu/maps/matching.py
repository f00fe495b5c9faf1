"""Which region of the site each feature of a boundary file outlines (docs/map.md).

The rule, in order: the feature's division code when it names a region of the site; else
its name, exactly; else its name without the administrative suffix (市, 区, 县, 自治县, 新区)
when that names one region only — so a file drawn before 即墨市 became 即墨区 still finds
it, and the report says so. A feature that matches nothing, or two features for one region,
refuse the file.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.maps.geojson import Feature

# Longest first: 自治县 before 县, 新区 before 区.
SUFFIXES = ("自治县", "新区", "市", "区", "县", "旗")


class How:
    CODE = "code"
    NAME = "name"
    STEM = "stem"


def stem(name: str) -> str:
    """The name without its administrative suffix (黄岛区 → 黄岛; 市南区 → 市南)."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class Match:
    feature: Feature
    region: OrgUnit
    how: str


@dataclass
class LoadPlan:
    """What a file would load: each feature's region, what refuses it, and the districts it
    leaves without a boundary."""

    matches: list[Match] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    missing: list[OrgUnit] = field(default_factory=list)


def _described(feature: Feature) -> str:
    label = feature.name or feature.code
    return _("Feature %(number)d (%(label)s)") % {"number": feature.number, "label": label}


def match_features(features: list[Feature]) -> LoadPlan:
    """Match every feature to a region of the site; reads the regions once, writes nothing."""
    regions = list(OrgUnit.objects.regions().order_by("path"))
    by_code = {region.region_code: region for region in regions if region.region_code}
    by_name: dict[str, list[OrgUnit]] = {}
    by_stem: dict[str, list[OrgUnit]] = {}
    for region in regions:
        by_name.setdefault(region.name, []).append(region)
        by_stem.setdefault(stem(region.name), []).append(region)
    plan = LoadPlan()
    taken: dict[int, Feature] = {}
    for feature in features:
        found: OrgUnit | None = None
        how = ""
        if feature.code in by_code:
            found, how = by_code[feature.code], How.CODE
        elif feature.name and len(by_name.get(feature.name, [])) == 1:
            found, how = by_name[feature.name][0], How.NAME
        elif feature.name and len(by_stem.get(stem(feature.name), [])) == 1:
            found, how = by_stem[stem(feature.name)][0], How.STEM
        if found is None:
            several = len(by_name.get(feature.name, [])) > 1 or (
                len(by_stem.get(stem(feature.name), [])) > 1 if feature.name else False
            )
            message = (
                _(
                    "%(feature)s names several regions of the site; give each feature its division code."
                )
                if several
                else _(
                    "%(feature)s matches no region of the site (code “%(code)s”); correct its "
                    "name or division code, or leave it out of the file."
                )
            )
            plan.errors.append(
                message % {"feature": _described(feature), "code": feature.code or "—"}
            )
            continue
        if found.pk in taken:
            plan.errors.append(
                _("%(feature)s and %(other)s both outline %(region)s; keep one of them.")
                % {
                    "feature": _described(feature),
                    "other": _described(taken[found.pk]),
                    "region": found.name,
                }
            )
            continue
        taken[found.pk] = feature
        plan.matches.append(Match(feature, found, how))
    # The districts of the site (the top region's divisions) the file leaves without a boundary.
    top = next((region for region in regions if region.parent_id is None), None)
    if top is not None:
        plan.missing = sorted(
            (
                region
                for region in regions
                if region.parent_id == top.pk and region.region_code and region.pk not in taken
            ),
            key=lambda region: region.region_code or "",
        )
    return plan

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("District / county")
    ZONE = "zone", _("Functional zone")
    DEPARTMENT = "department", _("Department")
    OWNER_UNIT = "owner_unit", _("Owner unit")


# Kinds that are places: a project's region is one of these.
REGION_KINDS = frozenset(
    {OrgUnitKind.PROVINCE, OrgUnitKind.CITY, OrgUnitKind.COUNTY, OrgUnitKind.ZONE}
)


# What may sit under what (DOMAIN.md §2: the city or province → districts and counties →
# departments and owner units). The key None is the top of the tree. A county may sit
# directly under a province (省直管县); a functional zone under any region; a department
# under a region or a zone; an owner unit under a region, a zone or a department (a bureau's
# own enterprises). Nothing sits under an owner unit.
CHILD_KINDS: dict[str | None, frozenset[OrgUnitKind]] = {
    None: frozenset({OrgUnitKind.PROVINCE, OrgUnitKind.CITY}),
    OrgUnitKind.PROVINCE: frozenset(
        {
            OrgUnitKind.CITY,
            OrgUnitKind.COUNTY,
            OrgUnitKind.ZONE,
            OrgUnitKind.DEPARTMENT,
            OrgUnitKind.OWNER_UNIT,
        }
    ),
    OrgUnitKind.CITY: frozenset(
        {OrgUnitKind.COUNTY, OrgUnitKind.ZONE, OrgUnitKind.DEPARTMENT, OrgUnitKind.OWNER_UNIT}
    ),
    OrgUnitKind.COUNTY: frozenset(
        {OrgUnitKind.ZONE, OrgUnitKind.DEPARTMENT, OrgUnitKind.OWNER_UNIT}
    ),
    OrgUnitKind.ZONE: frozenset({OrgUnitKind.DEPARTMENT, OrgUnitKind.OWNER_UNIT}),
    OrgUnitKind.DEPARTMENT: frozenset({OrgUnitKind.OWNER_UNIT}),
    OrgUnitKind.OWNER_UNIT: frozenset(),
}


def child_kinds(parent_kind: str | None) -> list[OrgUnitKind]:
    """The kinds a new unit may have under a parent of `parent_kind`, in the order of the
    kinds' list."""
    allowed = CHILD_KINDS.get(parent_kind, frozenset())
    return [kind for kind in OrgUnitKind if kind in allowed]

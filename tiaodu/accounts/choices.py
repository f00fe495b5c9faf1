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

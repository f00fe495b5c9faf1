"""Setting a district's targets on the three assessment indicators (`DistrictTarget`)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.core import audit
from tiaodu.core.scoping import Actor
from tiaodu.scoring.indicators import INDICATORS, districts
from tiaodu.scoring.models import DistrictTarget
from tiaodu.scoring.permissions import may_set_targets

# The plan years a target may be set for.
YEARS = range(2000, 2101)
# No district starts, includes or completes more projects than this in a year.
MOST = 100_000


def check_count(key: str, value: Any) -> int:
    """A target as a whole number 0–100,000; a ValidationError naming the indicator."""
    label = INDICATORS[key]
    text = str(value).strip() if value is not None else ""
    if not text.isdecimal():
        raise ValidationError(
            {
                key: _("%(indicator)s: give a whole number of projects, 0 or more.")
                % {"indicator": label}
            }
        )
    number = int(text)
    if number > MOST:
        raise ValidationError(
            {
                key: _("%(indicator)s: at most %(most)d projects.")
                % {"indicator": label, "most": MOST}
            }
        )
    return number


@transaction.atomic
def set_district_target(
    actor: Actor | None,
    region: OrgUnit,
    year: int,
    *,
    new_starts: Any,
    inclusions: Any,
    completions: Any,
) -> DistrictTarget:
    """The district's targets for the year, created or replaced; audited. Only the site's
    dispatcher sets them (`actor` None: a system write); a region that is not a district, a
    year out of range or a count that is not a whole number changes nothing."""
    if actor is not None and not may_set_targets(actor):
        raise PermissionDenied(_("Only a dispatcher of the whole site sets the district targets."))
    if region.pk not in {district.pk for district in districts()}:
        raise ValidationError(
            _("Targets are set for the districts just below the city: %(region)s is not one.")
            % {"region": region.name}
        )
    if not isinstance(year, int) or year not in YEARS:
        raise ValidationError(_("Give a plan year between 2000 and 2100."))
    errors: dict[str, list[str]] = {}
    values: dict[str, int] = {}
    for key, value in (
        ("new_starts", new_starts),
        ("inclusions", inclusions),
        ("completions", completions),
    ):
        try:
            values[key] = check_count(key, value)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    target = DistrictTarget.objects.select_for_update().filter(region=region, year=year).first()
    set_by = actor.pk if actor is not None else None
    if target is None:
        target = DistrictTarget.objects.create(region=region, year=year, set_by_id=set_by, **values)
        audit.record_create(actor=actor, instance=target)
        return target
    before = audit.snapshot(target)
    for key, value in values.items():
        setattr(target, key, value)
    if audit.record_update(actor=actor, instance=target, before=before):
        target.set_by_id = set_by
        target.save()
    return target

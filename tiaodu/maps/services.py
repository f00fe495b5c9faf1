"""Loading a site's boundary file: all of it or nothing (docs/map.md)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core import audit, clock
from tiaodu.core.models import AuditAction
from tiaodu.core.scoping import Someone
from tiaodu.maps.geojson import BoundaryFileError, read_features
from tiaodu.maps.matching import Match, match_features
from tiaodu.maps.models import Boundary, BoundarySet


class BoundariesRefused(ValueError):
    """A file the service will not load; `messages` says each reason and its fix."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Loaded:
    """What a load wrote: the new set, each feature's region, the districts left without a
    boundary and how many boundaries of an earlier set it replaced."""

    boundary_set: BoundarySet
    matches: list[Match]
    missing: list[OrgUnit]
    replaced: int


def load_boundaries(
    *,
    actor: Someone,
    content: bytes,
    source: str,
    approval_number: str = "",
    file_name: str = "",
    name_property: str = "name",
    code_property: str | None = None,
) -> Loaded:
    """Check the whole file against the region tree, then replace the boundaries in force by
    its own in one transaction; BoundariesRefused (nothing written) on a malformed file, a
    file without features, or a feature that matches no region."""
    source = source.strip()
    if not source:
        raise BoundariesRefused([_("Say where the boundaries come from (--source).")])
    try:
        features = read_features(content, name_property=name_property, code_property=code_property)
    except BoundaryFileError as error:
        raise BoundariesRefused([str(error)]) from error
    plan = match_features(features)
    if plan.errors:
        raise BoundariesRefused(plan.errors)
    user = actor if isinstance(actor, User) else None
    with transaction.atomic():
        replaced = Boundary.objects.count()
        # One set is in force: the regions' old outlines go with it.
        BoundarySet.objects.all().delete()
        boundary_set = BoundarySet.objects.create(
            source=source[:200],
            approval_number=approval_number.strip()[:100],
            file_name=file_name[:255],
            loaded_at=clock.now(),
            loaded_by=user,
        )
        Boundary.objects.bulk_create(
            Boundary(
                boundary_set=boundary_set,
                region=match.region,
                feature_name=match.feature.name[:100],
                geometry=match.feature.geometry,
            )
            for match in plan.matches
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE if replaced else AuditAction.CREATE,
            instance=boundary_set,
            object_label=_("Boundaries: %(source)s") % {"source": boundary_set.source},
            message=(
                _("%(count)d boundaries loaded from %(file)s, %(replaced)d replaced")
                % {
                    "count": len(plan.matches),
                    "file": file_name or "—",
                    "replaced": replaced,
                }
            )[:255],
        )
    return Loaded(boundary_set, plan.matches, plan.missing, replaced)

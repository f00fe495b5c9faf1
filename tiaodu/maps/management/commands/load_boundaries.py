"""`manage.py load_boundaries FILE --source TEXT [--approval-number TEXT] [--name-property NAME]
[--code-property NAME] [--actor USERNAME]`: the site's district boundaries (docs/map.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tiaodu.accounts.models import User
from tiaodu.maps.matching import How
from tiaodu.maps.services import BoundariesRefused, load_boundaries


class Command(BaseCommand):
    help = (
        "Load the site's district boundaries from a GeoJSON file (the surveying bureau's, or "
        "an offline 天地图 package's), checked against the region tree; replaces the "
        "boundaries in force. Nothing is changed when any feature matches no region."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The GeoJSON FeatureCollection.")
        parser.add_argument(
            "--source",
            default="",
            help="Where the boundaries come from, shown under the map (default: the file's name).",
        )
        parser.add_argument(
            "--approval-number", default="", help="The map's approval number (审图号)."
        )
        parser.add_argument(
            "--name-property", default="name", help="The property holding the region's name."
        )
        parser.add_argument(
            "--code-property",
            default=None,
            help="The property holding the division code (default: adcode, code or gb).",
        )
        parser.add_argument(
            "--actor", help="The user recorded as loading it (default: none, a system load)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"], is_active=True).first()
            if actor is None:
                raise CommandError(
                    _("--actor %(name)s: no such active user.") % {"name": options["actor"]}
                )
        try:
            loaded = load_boundaries(
                actor=actor,
                content=path.read_bytes(),
                source=options["source"] or path.name,
                approval_number=options["approval_number"],
                file_name=path.name,
                name_property=options["name_property"],
                code_property=options["code_property"],
            )
        except BoundariesRefused as refused:
            for message in refused.messages:
                self.stderr.write(message)
            raise CommandError(
                _("%(path)s was not loaded; nothing was changed.") % {"path": path}
            ) from refused
        for match in loaded.matches:
            if match.how == How.STEM:
                self.stdout.write(
                    _("“%(name)s” taken as %(region)s (the names differ in their suffix).")
                    % {"name": match.feature.name, "region": match.region.name}
                )
        if loaded.missing:
            self.stdout.write(
                self.style.WARNING(
                    _("Districts without a boundary: %(names)s.")
                    % {"names": "、".join(region.name for region in loaded.missing)}
                )
            )
        if not loaded.boundary_set.approval_number:
            self.stdout.write(
                self.style.WARNING(
                    _("No approval number (审图号) was given: the map says so under it.")
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)d boundaries loaded from %(source)s (%(replaced)d replaced).")
                % {
                    "count": len(loaded.matches),
                    "source": loaded.boundary_set.source,
                    "replaced": loaded.replaced,
                }
            )
        )

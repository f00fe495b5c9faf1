"""`manage.py setup_site --region CODE [--zone NAME ...]`: the site's region tree.

Creates the region of the site and every division below it from the national table
(tiaodu/accounts/data/divisions.csv), renames divisions whose name changed, and adds the
functional zones named with --zone under the root. Running it again changes nothing.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts import divisions, org_units
from tiaodu.accounts.models import OrgUnit
from tiaodu.core import context


def _region_names() -> dict[str, str]:
    """The name of every unit that has a division code, by code."""
    rows = OrgUnit.objects.filter(region_code__isnull=False).values_list("region_code", "name")
    return {code: name for code, name in rows if code}


class Command(BaseCommand):
    help = "Create the site's region tree from the national division table, and its zones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--region",
            required=True,
            metavar="CODE",
            help="Six-digit division code of the site: a province, a city (370200) or a county.",
        )
        parser.add_argument(
            "--zone",
            action="append",
            default=[],
            metavar="NAME",
            help="A functional zone to add under the site's region (repeatable).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = str(options["region"]).strip()
        division = divisions.get(code)
        if division is None:
            raise CommandError(
                _(
                    "Division code “%(code)s” is not in the national table "
                    "(tiaodu/accounts/data/divisions.csv). Give the six digits of a province, "
                    "a city or a county, e.g. 370200 for 青岛市."
                )
                % {"code": code}
            )
        zones = [name.strip() for name in options["zone"]]
        if any(not name for name in zones):
            raise CommandError(_("A --zone needs a name."))

        before = _region_names()
        with context.bound(context.RequestContext(channel="command")), transaction.atomic():
            try:
                root, created, renamed = org_units.setup_regions(actor=None, region_code=code)
                zone_results = [
                    org_units.add_functional_zone(actor=None, parent=root, name=name)
                    for name in zones
                ]
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error

        self._report_regions(code, before)
        for zone, was_created in zone_results:
            if was_created:
                self.stdout.write(_("  + zone %(name)s") % {"name": zone.name})
            else:
                self.stdout.write(_("  = zone %(name)s (already there)") % {"name": zone.name})
        zones_created = sum(1 for _zone, was_created in zone_results if was_created)
        summary = _(
            "%(root)s: %(created)d regions created, %(renamed)d renamed, "
            "%(zones)d functional zones added."
        ) % {"root": root.name, "created": created, "renamed": renamed, "zones": zones_created}
        self.stdout.write(self.style.SUCCESS(summary))

    def _report_regions(self, code: str, before: dict[str, str]) -> None:
        after = _region_names()
        for item in divisions.subtree(code):
            old_name = before.get(item.code)
            if old_name is None:
                self.stdout.write(f"  + {item.code} {after[item.code]}")
            elif old_name != after[item.code]:
                self.stdout.write(
                    _("  ~ %(code)s %(name)s (was %(old)s)")
                    % {"code": item.code, "name": after[item.code], "old": old_name}
                )

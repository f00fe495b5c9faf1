"""`manage.py export_oc4ids --year Y --out FILE [--uri URI]`.

Writes the year's published projects as an OC4IDS project package (JSON, UTF-8) to FILE
(docs/open-data.md). The package's `uri` is --uri, else the site's TIAODU_OPEN_DATA_URL
with the year in it. The export is audited (channel `command`); nothing is written when the
site's settings are missing or no project of the year is published.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tiaodu.core import audit, context
from tiaodu.core.bounds import year_in_bounds, year_message
from tiaodu.core.models import AuditAction
from tiaodu.projects.open_data.oc4ids import build_package
from tiaodu.projects.open_data.published import NotPublished, publication


class Command(BaseCommand):
    help = "Write a year's published projects as an OC4IDS project package (JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="The plan year, e.g. 2026.")
        parser.add_argument("--out", required=True, metavar="FILE", help="The file to write.")
        parser.add_argument(
            "--uri", help="The package's public address (default: TIAODU_OPEN_DATA_URL)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not year_in_bounds(year):
            raise CommandError(year_message())
        try:
            uri = options["uri"] or publication().package_url(year)
            if not uri:
                raise NotPublished(
                    _(
                        "Give the package's public address with --uri, or set "
                        "TIAODU_OPEN_DATA_URL (e.g. https://example.gov.cn/open-data/{year}.json)."
                    )
                )
            package = build_package(year=year, uri=uri)
        except NotPublished as error:
            raise CommandError(str(error)) from None
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        count = len(package["projects"])
        with context.bound(context.RequestContext(channel="command")):
            audit.record(
                actor=None,
                action=AuditAction.EXPORT,
                object_label=_("Open data (OC4IDS) %(year)s") % {"year": year},
                message=_("%(count)d projects") % {"count": count},
            )
        self.stdout.write(
            _("%(count)d published projects of %(year)s written to %(file)s.")
            % {"count": count, "year": year, "file": out}
        )

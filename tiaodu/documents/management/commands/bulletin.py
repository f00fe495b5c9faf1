"""`manage.py bulletin --month YYYY-MM [--region CODE] [--number N] [--issued] --out DIR`.

Writes the month's bulletin (DOMAIN.md §10) as .docx, .pdf and .xlsx into DIR, built from
the figure set as of the month's last day over the whole site (a system read for the
server's administrators, like `manage.py stats`). Without --issued it is the draft layout
(no red masthead); --number gives the issued number it shows.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaodu.analytics.figures import WHOLE_SITE, ScopeError
from tiaodu.documents import contents
from tiaodu.documents.files import file_stem, render_all


class Command(BaseCommand):
    help = "Write the monthly bulletin as .docx, .pdf and .xlsx."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, metavar="YYYY-MM", help="e.g. 2026-08.")
        parser.add_argument("--region", metavar="CODE", help="A region's division code.")
        parser.add_argument("--out", required=True, metavar="DIR", help="The folder to write to.")
        parser.add_argument("--number", type=int, help="The issued number (通报〔年〕N号).")
        parser.add_argument(
            "--issued", action="store_true", help="The issued layout: red masthead and rule."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = contents.parse_month(options["month"])
            content = contents.build(
                actor=WHOLE_SITE, month=month, region=options["region"], number=options["number"]
            )
        except (contents.MonthError, ScopeError) as error:
            raise CommandError(str(error)) from error
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        files = render_all(
            content, issued=options["issued"], stem=file_stem(content, options["region"])
        )
        for name, data in files.items():
            (out / name).write_bytes(data)
            self.stdout.write(str(out / name))

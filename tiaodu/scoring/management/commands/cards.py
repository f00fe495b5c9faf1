"""`manage.py cards --month YYYY-MM [--json] [--detail] [--region CODE] [--level L]
[--list NAME] [--colour C]`.

Prints the month's cards of the whole site (a system read, like every manage.py command):
the counts per final colour and the entries without a card. With --json the counts are one
JSON object on a line, `{"month", "blue", "yellow", "red", "none"}`, and with --detail one
more line per card, worst first, in the form of `GET /api/v1/cards`
(`tiaodu.scoring.serialise`). Without --json the same in words.
"""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tiaodu.projects.models import AnnualPlan
from tiaodu.scoring import serialise
from tiaodu.scoring.choices import Colour
from tiaodu.scoring.models import Card
from tiaodu.scoring.services import parse_month


class Command(BaseCommand):
    help = "Print a month's cards: the counts per colour and, with --detail, each card."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="The card month, YYYY-MM.")
        parser.add_argument("--json", action="store_true", help="Print JSON, one object a line.")
        parser.add_argument(
            "--detail", action="store_true", help="Also print each card (worst first)."
        )
        parser.add_argument("--region", metavar="CODE", help="A region's division code.")
        parser.add_argument("--level", help="provincial, municipal or county.")
        parser.add_argument("--list", metavar="NAME", help="A key-project list of the year.")
        parser.add_argument("--colour", help="Only cards of this final colour (for --detail).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = parse_month(options["month"])
            choice = serialise.choose(
                Card.objects.all(),
                AnnualPlan.objects.all(),
                month=month,
                region=options["region"],
                level=options["level"],
                key_list=options["list"],
                colour=options["colour"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        counted = serialise.counts(choice)
        details = (
            [serialise.detail(card) for card in serialise.for_listing(choice.listed)]
            if options["detail"]
            else []
        )
        if options["json"]:
            self.stdout.write(json.dumps(counted, ensure_ascii=False))
            for item in details:
                self.stdout.write(json.dumps(item, ensure_ascii=False))
            return
        colours = "，".join(f"{colour.label} {counted[colour.value]}" for colour in Colour)
        self.stdout.write(
            _("%(month)s: %(colours)s; without a card %(none)d.")
            % {"month": counted["month"], "colours": colours, "none": counted["none"]}
        )
        for item in details:
            reasons = "；".join(
                part["reason"] for part in item["dimensions"].values() if part["reason"]
            )
            self.stdout.write(
                f"  {item['code']} {item['name']}（{item['region']}）"
                f" {Colour(item['colour']).label} {item['score']}  {reasons}"
            )

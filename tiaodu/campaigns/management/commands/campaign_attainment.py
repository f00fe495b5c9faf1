"""`manage.py campaign_attainment ID --as-of D [--json]`: a campaign's attainment (DOMAIN.md
§8) as of a date, every target overall and per district. A system read of the whole site,
like every manage.py command. With --json, one line:
`{"campaign", "as_of", "targets": [{"indicator", "subset", "comparison", "threshold",
"value", "met", "by_region": {"CODE": {"value", "met"}}}]}`."""

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tiaodu.campaigns.attainment import attainment
from tiaodu.campaigns.choices import Indicator
from tiaodu.campaigns.models import Campaign


class Command(BaseCommand):
    help = "Print a campaign's attainment as of a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", type=int, help="The campaign's id.")
        parser.add_argument("--as-of", required=True, help="The date, YYYY-MM-DD.")
        parser.add_argument("--json", action="store_true", help="One line of JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = dt.date.fromisoformat(options["as_of"])
        except ValueError:
            raise CommandError(
                _("--as-of “%(value)s” is not a date; write it as YYYY-MM-DD.")
                % {"value": options["as_of"]}
            ) from None
        campaign = Campaign.objects.filter(pk=options["campaign"]).first()
        if campaign is None:
            raise CommandError(_("There is no campaign %(id)d.") % {"id": options["campaign"]})
        found = attainment(campaign, as_of)
        if options["json"]:
            self.stdout.write(json.dumps(found.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(f"{campaign.name} · {as_of.isoformat()}")
        for target in found.targets:
            mark = "✓" if target.overall.met else "✗"
            subset = f"（{target.target.subset}）" if target.target.subset else ""
            label = Indicator(target.target.indicator).label
            self.stdout.write(
                f"  {mark} {label}{subset}: {target.overall.value or '—'} "
                f"({target.target.get_comparison_display()} {target.target.threshold})"
            )

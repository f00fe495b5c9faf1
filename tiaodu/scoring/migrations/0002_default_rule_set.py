"""The default rule set of DOMAIN.md §6 ships as version 1, in force from the earliest plan
year a site can hold; a site's own versions follow it."""

import datetime as dt

from django.db import migrations


def add_default(apps, schema_editor):  # type: ignore[no-untyped-def]
    RuleSet = apps.get_model("scoring", "RuleSet")
    if not RuleSet.objects.filter(version=1).exists():
        RuleSet.objects.create(
            version=1,
            effective_from=dt.date(2001, 1, 1),
            note="DOMAIN.md §6 默认规则",
        )


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_cards")]
    operations = [migrations.RunPython(add_default, migrations.RunPython.noop)]

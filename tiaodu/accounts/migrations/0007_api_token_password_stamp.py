"""A token remembers its user's password (as Django's session hash) when issued: a changed
or reset password ends it. Tokens issued before get their user's present stamp."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import migrations, models


def stamp_existing(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.select_related("user"):
        token.password_stamp = AbstractBaseUser.get_session_auth_hash(token.user)
        token.save(update_fields=["password_stamp"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_add_signed_in_session"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="password_stamp",
            field=models.CharField(blank=True, max_length=128, verbose_name="password stamp"),
        ),
        migrations.RunPython(stamp_existing, migrations.RunPython.noop),
    ]

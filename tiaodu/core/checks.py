"""The site's own deployment checks (`manage.py check --deploy`, docs/deployment.md)."""

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def secret_key_is_set(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A deployment must not sign sessions and tokens with the key every checkout knows."""
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        return [
            checks.Error(
                "SECRET_KEY is the development key that every copy of Tiaodu has.",
                hint="Set TIAODU_SECRET_KEY to a long random value (docs/deployment.md).",
                id="tiaodu.E001",
            )
        ]
    return []

"""The staticfiles app as Tiaodu installs it (settings.INSTALLED_APPS)."""

from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class StaticFilesConfig(DjangoStaticFilesConfig):
    """collectstatic leaves out axe-core: the browser journeys' page check reads it from
    static/vendor/axe-core, and no page of the product loads it (docs/testing.md)."""

    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "axe-core"]

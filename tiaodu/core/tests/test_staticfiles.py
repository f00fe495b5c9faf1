"""axe-core is in static/vendor for the browser journeys' page check only: collectstatic
leaves it out, so the product never serves it."""

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.apps import StaticFilesConfig
from django.contrib.staticfiles.finders import get_finders


def test_collectstatic_leaves_out_axe_core_and_keeps_tabler() -> None:
    """The files collectstatic copies: what the finders list past the app's ignore patterns."""
    assert (settings.BASE_DIR / "static" / "vendor" / "axe-core" / "axe.min.js").exists()
    config = apps.get_app_config("staticfiles")
    assert isinstance(config, StaticFilesConfig)
    ignore_patterns = config.ignore_patterns
    collected = {path for finder in get_finders() for path, _ in finder.list(ignore_patterns)}
    assert [path for path in collected if "axe" in path] == []
    assert "vendor/tabler/css/tabler.min.css" in collected
    assert "tiaodu/tiaodu.css" in collected


def test_no_template_loads_axe_core() -> None:
    templates = list((settings.BASE_DIR / "tiaodu").rglob("templates/**/*.html"))
    assert len(templates) > 100
    assert [path for path in templates if "axe" in path.read_text(encoding="utf-8")] == []

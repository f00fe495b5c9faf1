"""The server's application is ready before its first request: its URLs are loaded."""

import json
import os
import subprocess
import sys

from django.conf import settings

SHOW = """
import sys
import tiaodu.wsgi
from django.urls import get_resolver
print(__import__("json").dumps({
    "populated": get_resolver()._populated,
    "views": "tiaodu.analytics.views" in sys.modules,
}))
"""


def test_the_application_loads_its_urls_as_it_starts():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tiaodu.settings"}
    done = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"populated": True, "views": True}

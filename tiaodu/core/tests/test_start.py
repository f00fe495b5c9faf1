"""What a process pays as it starts: django-tables2 and django-ninja are libraries of the
pages and the API that use them, not installed apps (settings.LIBRARY_PACKAGES), so that a
command, a task worker or a test process does not import them, nor psycopg and pydantic
through them; what an app would have given them still works. Nor is openpyxl imported
before the first workbook (`core.xlsx`), nor the bulletin's content builder (with the
figure set under it) by the models that only number a bulletin."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tiaodu.testing import PASSWORD

HEAVY = (
    "django_tables2",
    "ninja",
    "pydantic",
    "psycopg",
    "openpyxl",
    "tiaodu.documents.contents",
)


def test_a_command_starts_without_the_web_packages_or_openpyxl(tmp_path):
    code = (
        "import django, sys; django.setup(); "
        "import tiaodu.projects.management.commands.import_ledger; "
        f"print(sorted(name for name in {HEAVY!r} if name in sys.modules))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tiaodu.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'start.sqlite3'}",
    }
    found = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "[]", found.stderr


def test_their_templates_translations_and_static_files_are_found():
    assert get_template("django_tables2/bootstrap5.html")
    assert get_template("ninja/swagger.html")
    with translation.override("zh-hans"):
        assert gettext("next") == "下一页"  # django-tables2's own catalogue
    assert finders.find("django_tables2/themes/paleblue/img/false.gif")
    assert finders.find("ninja/swagger-ui-init.js")


@pytest.mark.django_db
def test_the_library_table_and_the_api_documentation_render(world):
    client = Client()
    assert client.login(username="alice", password=PASSWORD)
    library = client.get(reverse("projects:list") + "?year=2026")
    assert library.status_code == 200
    assert '<div class="table-container">' in library.text  # django-tables2's bootstrap5.html
    assert ">项目名称</a>" in library.text
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    # Swagger UI from the package's static files, not from a CDN.
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in docs.text
    assert "cdn" not in docs.text.lower()

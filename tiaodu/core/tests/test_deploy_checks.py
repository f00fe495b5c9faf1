"""`manage.py check --deploy` fails on the development secret key, whatever DEBUG says."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tiaodu.core.checks import secret_key_is_set


@pytest.mark.django_db
def test_the_development_key_fails_the_deployment_check(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    with pytest.raises(SystemCheckError, match=r"tiaodu\.E001"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def test_a_key_of_its_own_passes(settings):
    settings.SECRET_KEY = "a-production-key-" + "x7Kq2" * 10
    assert secret_key_is_set() == []

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


@pytest.mark.django_db
def test_the_production_settings_of_the_deployment_page_pass_without_a_warning(settings):
    """What /etc/tiaodu/env sets in docs/deployment.md: not a warning from check --deploy."""
    settings.DEBUG = False
    settings.SECRET_KEY = "a-production-key-" + "x7Kq2" * 10
    settings.ALLOWED_HOSTS = ["tiaodu.example.gov.cn"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "smtp.example.gov.cn"},
        }
    }
    call_command("check", "--deploy", "--fail-level", "WARNING")

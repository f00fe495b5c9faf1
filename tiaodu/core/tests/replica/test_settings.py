"""The settings of more than one server (docs/deployment.md), read from the environment
by a fresh interpreter each time, as a server starting reads them."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
SHOW = """
import json
from django.conf import settings
print(json.dumps({
    "databases": sorted(settings.DATABASES),
    "replica": settings.DATABASES.get("replica", {}).get("PORT"),
    "routers": settings.DATABASE_ROUTERS,
    "first_middleware": settings.MIDDLEWARE[0],
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "sessions": settings.SESSION_ENGINE,
    "tasks": settings.TASKS["default"]["BACKEND"],
    "rq_queues": getattr(settings, "RQ_QUEUES", None),
    "django_rq": "django_rq" in settings.INSTALLED_APPS,
}))
"""
MULTI = (
    "DATABASE_REPLICA_URL",
    "REDIS_URL",
    "TIAODU_TASKS_BACKEND",
    "TIAODU_RQ_URL",
    "TIAODU_CACHE_DIR",
)


def _settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in MULTI}
    clean.update(env, DJANGO_SETTINGS_MODULE="tiaodu.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + SHOW],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_the_settings_one_machine_as_before():
    shown = json.loads(_settings().stdout)
    assert shown["databases"] == ["default"]
    assert shown["routers"] == []
    assert shown["first_middleware"] == "django.middleware.security.SecurityMiddleware"
    assert shown["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert shown["sessions"] == "django.contrib.sessions.backends.db"
    assert shown["tasks"] == "django_tasks_db.DatabaseBackend"
    assert shown["django_rq"] is False


def test_a_replica_redis_and_rq():
    shown = json.loads(
        _settings(
            DATABASE_URL="postgres://tiaodu@10.0.0.11:5432/tiaodu",
            DATABASE_REPLICA_URL="postgres://tiaodu@10.0.0.12:5433/tiaodu",
            REDIS_URL="redis://10.0.0.13:6379/0",
            TIAODU_RQ_URL="redis://10.0.0.13:6379/1",
            TIAODU_TASKS_BACKEND="rq",
        ).stdout
    )
    assert shown["databases"] == ["default", "replica"]
    assert shown["replica"] == 5433
    assert shown["routers"] == ["tiaodu.core.db_router.ReplicaRouter"]
    assert shown["first_middleware"] == "tiaodu.core.db_router.ReplicaRoutingMiddleware"
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert shown["cache_location"] == "redis://10.0.0.13:6379/0"
    assert shown["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert shown["tasks"] == "django_tasks_rq.RQBackend"
    assert shown["rq_queues"] == {"default": {"URL": "redis://10.0.0.13:6379/1"}}
    assert shown["django_rq"] is True


def test_rq_without_redis_is_refused_with_what_to_set():
    result = _settings(TIAODU_TASKS_BACKEND="rq")
    assert result.returncode != 0
    assert "TIAODU_TASKS_BACKEND=rq needs REDIS_URL" in result.stderr


def test_an_unknown_task_backend_is_refused():
    result = _settings(TIAODU_TASKS_BACKEND="celery")
    assert result.returncode != 0
    assert "TIAODU_TASKS_BACKEND is 'celery': it is db (the default) or rq." in result.stderr


def test_one_machine_with_a_cache_in_files(tmp_path):
    """Several processes on one machine (gunicorn's workers, the task worker) share the
    cache in files, which outlives a restart."""
    shown = json.loads(_settings(TIAODU_CACHE_DIR=str(tmp_path / "cache")).stdout)
    assert shown["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert shown["cache_location"] == str(tmp_path / "cache")
    assert shown["sessions"] == "django.contrib.sessions.backends.db"
    assert shown["databases"] == ["default"]


def test_a_cache_in_files_and_redis_together_are_refused(tmp_path):
    result = _settings(TIAODU_CACHE_DIR=str(tmp_path), REDIS_URL="redis://10.0.0.13:6379/0")
    assert result.returncode != 0
    assert "REDIS_URL and TIAODU_CACHE_DIR are both set" in result.stderr

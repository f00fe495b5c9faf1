"""Settings of Tiaodu, read from the environment (see README, "Configuration")."""

import importlib.util
import os
import re
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def package_dir(name: str) -> Path:
    """Where an installed package's files are, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(f"The package {name} is not installed.")
    return Path(next(iter(spec.submodule_search_locations)))


# django-tables2 (the library's table) and django-ninja (the API) are libraries here, not
# apps: an installed app is imported by every process as it starts — manage.py's commands,
# the task workers, each test process — and these two bring psycopg (through
# django.contrib.postgres, even on SQLite) and pydantic, a fifth of Django's start
# (docs/benchmarks.md, "The ledger import as a whole process"). What an app would give is
# named here: their templates, django-tables2's template tags and translations, their
# static files. They are imported by the pages and the API that use them.
LIBRARY_PACKAGES = ("django_tables2", "ninja")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("TIAODU_DEBUG", False)
# Production sets TIAODU_SECRET_KEY (docs/deployment.md); `check --deploy` fails on the
# default (tiaodu.E001, core/checks.py).
DEVELOPMENT_SECRET_KEY = "insecure-development-key-set-TIAODU_SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("TIAODU_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Retired keys, still accepted when checking what they signed (docs/deployment.md).
SECRET_KEY_FALLBACKS = [
    k for k in os.environ.get("TIAODU_SECRET_KEY_FALLBACKS", "").split(",") if k.strip()
]
ALLOWED_HOSTS = [
    h for h in os.environ.get("TIAODU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("TIAODU_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "tiaodu.core.staticfiles.StaticFilesConfig",  # leaves static/vendor/axe-core out
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "tiaodu.core",
    "tiaodu.accounts",
    "tiaodu.messaging",
    "tiaodu.projects",
    "tiaodu.reporting",
    "tiaodu.problems",
    "tiaodu.supervision",
    "tiaodu.scoring",
    "tiaodu.campaigns",
    "tiaodu.financing",
    "tiaodu.analytics",
    "tiaodu.maps",
    "tiaodu.video",
    "tiaodu.documents",
    "tiaodu.demo",  # on top of every other app: it writes through their services
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tiaodu.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tiaodu.core.middleware.AuditContextMiddleware",
    "tiaodu.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tiaodu.accounts.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "tiaodu.urls"
WSGI_APPLICATION = "tiaodu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [
            BASE_DIR / "tiaodu" / "templates",
            *(package_dir(name) / "templates" for name in LIBRARY_PACKAGES),
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "libraries": {"django_tables2": "django_tables2.templatetags.django_tables2"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tiaodu.accounts.context_processors.navigation",
                "tiaodu.core.context_processors.notifications",
                "tiaodu.core.context_processors.search",
                "tiaodu.core.context_processors.kept_figures",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'tiaodu.sqlite3'}"),
        conn_max_age=int(os.environ.get("TIAODU_CONN_MAX_AGE", "0")),
    )
}
# More than one server (docs/deployment.md): a streaming replica of the primary, which the
# heavy read-only pages read (core/db_router.py). Unset: one database, nothing routed.
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"].strip(),
        conn_max_age=int(os.environ.get("TIAODU_CONN_MAX_AGE", "0")),
    )
    DATABASE_ROUTERS = ["tiaodu.core.db_router.ReplicaRouter"]
    # First: the routing state is fresh before the session and the user are read.
    MIDDLEWARE.insert(0, "tiaodu.core.db_router.ReplicaRoutingMiddleware")
# After a request that wrote, the browser reads from the primary for this long (its own
# changes show at once, whatever the replica's lag); 0: only within that request.
TIAODU_REPLICA_PIN_SECONDS = int(os.environ.get("TIAODU_REPLICA_PIN_SECONDS", "10"))
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        if _database["NAME"] and _database["NAME"] != ":memory:":
            Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets readers proceed while one writer commits; IMMEDIATE avoids upgrade deadlocks.
        _database["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    elif _database["ENGINE"] == "django.db.backends.postgresql":
        # The figure set's grouped query carries many conditional aggregates and subqueries:
        # its estimated cost crosses PostgreSQL's JIT thresholds, and compiling it took 2 s
        # for a query that runs in a tenth of that (docs/benchmarks.md, 2026-12-06). The
        # platform's queries are short, so JIT is off for its connections.
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "tiaodu.accounts.passwords.PlainTextValidator", "OPTIONS": {"min_length": 8}},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "tiaodu.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "tiaodu.accounts.passwords.SequenceValidator"},
    {"NAME": "tiaodu.accounts.passwords.CommonChinesePasswordValidator"},
    {"NAME": "tiaodu.accounts.passwords.PasswordHistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# DOMAIN.md §9 (MLPS 2.0 level 3). Each can be changed per site in the environment.
TIAODU_SECURITY: dict[str, Any] = {
    "LOCKOUT_FAILURES": int(os.environ.get("TIAODU_LOCKOUT_FAILURES", "5")),
    "LOCKOUT_WINDOW": timedelta(minutes=int(os.environ.get("TIAODU_LOCKOUT_WINDOW_MIN", "15"))),
    "LOCKOUT_DURATION": timedelta(minutes=int(os.environ.get("TIAODU_LOCKOUT_MIN", "30"))),
    # A lock holds the failing address only; the whole account is locked when its failures
    # within the window come from this many addresses (docs/adr/0002-lockout.md).
    "LOCKOUT_ADDRESSES": int(os.environ.get("TIAODU_LOCKOUT_ADDRESSES", "3")),
    # The address throttle: failures from one address, whatever the usernames, within the
    # window; from DELAY_AFTER on the next attempt waits 1, 2, 4 … seconds (at most
    # DELAY_MAX) after the last failure; from REFUSE_AFTER on the address is refused for
    # REFUSAL after its last failure.
    "ADDRESS_WINDOW": timedelta(minutes=int(os.environ.get("TIAODU_ADDRESS_WINDOW_MIN", "15"))),
    "ADDRESS_DELAY_AFTER": int(os.environ.get("TIAODU_ADDRESS_DELAY_AFTER", "10")),
    "ADDRESS_DELAY_MAX": int(os.environ.get("TIAODU_ADDRESS_DELAY_MAX_S", "30")),
    "ADDRESS_REFUSE_AFTER": int(os.environ.get("TIAODU_ADDRESS_REFUSE_AFTER", "30")),
    "ADDRESS_REFUSAL": timedelta(minutes=int(os.environ.get("TIAODU_ADDRESS_REFUSAL_MIN", "15"))),
    "IDLE_TIMEOUT": timedelta(minutes=int(os.environ.get("TIAODU_IDLE_MIN", "30"))),
    "ADMIN_IDLE_TIMEOUT": timedelta(minutes=int(os.environ.get("TIAODU_ADMIN_IDLE_MIN", "15"))),
    "ABSOLUTE_TIMEOUT": timedelta(hours=int(os.environ.get("TIAODU_ABSOLUTE_HOURS", "12"))),
    "PASSWORD_MAX_AGE": timedelta(days=int(os.environ.get("TIAODU_PASSWORD_MAX_AGE_DAYS", "90"))),
    "PASSWORD_HISTORY": int(os.environ.get("TIAODU_PASSWORD_HISTORY", "5")),
    # The roles that must sign in with a one-time code (DOMAIN.md §9: the three administrators
    # and the dispatchers); comma-separated role codes, empty for none (the demo, the tests).
    "TOTP_REQUIRED_ROLES": frozenset(
        code.strip()
        for code in os.environ.get(
            "TIAODU_TOTP_REQUIRED_ROLES", "system_admin,security_admin,auditor,dispatcher"
        ).split(",")
        if code.strip()
    ),
}
# The one-time codes (accounts/second_factor.py): the name authenticator apps show beside
# the account; django-otp's own per-device back-off is off, the address throttle and the
# locks of accounts/lockout.py count wrong codes instead.
OTP_TOTP_ISSUER = "调度"
OTP_TOTP_THROTTLE_FACTOR = 0
SESSION_COOKIE_AGE = int(TIAODU_SECURITY["ABSOLUTE_TIMEOUT"].total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("TIAODU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Served over HTTPS behind nginx (docs/deployment.md): browsers keep to HTTPS for this long
# (HSTS), and a plain-HTTP request is sent to HTTPS. nginx says which one the client used
# (X-Forwarded-Proto), which Django believes only when told the proxy sets it.
SECURE_HSTS_SECONDS = int(os.environ.get("TIAODU_HSTS_SECONDS", "0"))
# The site has a host name of its own: its subdomains, if any, are HTTPS too. Entering the
# browsers' preload list is the domain owner's decision, taken outside the site: its
# check (security.W021) is silenced.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TIAODU_HSTS_INCLUDE_SUBDOMAINS", True)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_SSL_REDIRECT = env_bool("TIAODU_SSL_REDIRECT", False)
if env_bool("TIAODU_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A failed CSRF check answers in the product's layout and language (docs/errors.md).
CSRF_FAILURE_VIEW = "tiaodu.core.error_views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (docs/security.md): scripts only from the site's own files (no inline
# script or handler anywhere: static/tiaodu/behaviours.js reads data-* attributes instead), a
# <style> element only with the response's nonce, nothing loaded from another host. Style
# attributes stay allowed: progress bars and chart boxes set their width in the markup, and a
# style attribute runs no script.
# The origins of the site-camera platforms whose HLS streams the video wall plays
# (https://video.example.gov.cn), comma-separated: hls.js fetches the playlists and segments
# (connect-src) and the player may load them itself (media-src). None by default: a site
# that proxies its platform under its own address needs none (docs/video.md, docs/security.md).
TIAODU_VIDEO_ORIGINS = [
    o.strip().rstrip("/")
    for o in os.environ.get("TIAODU_VIDEO_ORIGINS", "").split(",")
    if o.strip()
]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    # blob: for the video wall's Media Source (hls.js hands the player a blob: URL).
    "media-src": [CSP.SELF, "blob:", *TIAODU_VIDEO_ORIGINS],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF, *TIAODU_VIDEO_ORIGINS],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Ours first: where both translate a text, ours is used.
LOCALE_PATHS = [BASE_DIR / "tiaodu" / "locale", package_dir("django_tables2") / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("TIAODU_STATIC_ROOT", BASE_DIR / "var" / "static"))
# WhiteNoise serves from here; it exists (empty) before the first collectstatic.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    *(package_dir(name) / "static" for name in LIBRARY_PACKAGES),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("TIAODU_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# More than one server (docs/deployment.md): with REDIS_URL the cache is Redis, shared by
# every app server (the API's rate limits, the dashboard's figures, the WeCom token), and
# sessions are kept in it in front of the database (cached_db: a session survives a flushed
# Redis). TIAODU_TASKS_BACKEND=rq moves the task queue to Redis (django-tasks-rq, workers
# started with `manage.py rqworker`); the database queue stays the default. Both need the
# `multi` extra (pip install ".[multi]").
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
TIAODU_TASKS_BACKEND = os.environ.get("TIAODU_TASKS_BACKEND", "db").strip() or "db"
if TIAODU_TASKS_BACKEND not in {"db", "rq"}:
    raise ImproperlyConfigured(
        f"TIAODU_TASKS_BACKEND is {TIAODU_TASKS_BACKEND!r}: it is db (the default) or rq."
    )
if (REDIS_URL or TIAODU_TASKS_BACKEND == "rq") and importlib.util.find_spec("redis") is None:
    raise ImproperlyConfigured(
        'REDIS_URL or TIAODU_TASKS_BACKEND=rq needs the "multi" extra: pip install ".[multi]".'
    )
# One machine with several processes (gunicorn's workers, the task worker): with
# TIAODU_CACHE_DIR the cache is files in that folder, shared by them and kept across a
# restart, so the figures a page kept are there for every worker, and for the first reader
# after a deployment (docs/deployment.md, "Processes"). Without it (and without Redis) the
# cache is each process's memory.
TIAODU_CACHE_DIR = os.environ.get("TIAODU_CACHE_DIR", "").strip()
if REDIS_URL and TIAODU_CACHE_DIR:
    raise ImproperlyConfigured(
        "REDIS_URL and TIAODU_CACHE_DIR are both set: the cache is either Redis (several "
        "machines) or files on this one. Remove one of them."
    )
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tiaodu",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif TIAODU_CACHE_DIR:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": TIAODU_CACHE_DIR,
            # Each write lists the folder once it holds this many entries, and then removes
            # a third of them: room for every reader's kept figures of a province.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
if TIAODU_TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TIAODU_TASKS_BACKEND=rq needs REDIS_URL (redis://host:6379/0).")
    INSTALLED_APPS.append("django_rq")
    # The queue on its own Redis database if TIAODU_RQ_URL names one: a cache clear
    # (FLUSHDB) then cannot empty the queue.
    RQ_QUEUES = {"default": {"URL": os.environ.get("TIAODU_RQ_URL", "").strip() or REDIS_URL}}
    # The workers run django-tasks' jobs (the task, its arguments, its result).
    RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
# The messaging channels (docs/messaging.md): the WeCom application (application messages
# to a person), the SMS gateway's HTTP adapter, the address links in messages start with,
# and the sending: attempts before a message becomes a dead letter, the first wait between
# them (doubling), the vendors' timeout, and the hour of the daily digest (site time).
TIAODU_MESSAGING: dict[str, Any] = {
    "SITE_URL": os.environ.get("TIAODU_SITE_URL", ""),
    "WECOM_API": os.environ.get("TIAODU_WECOM_API", "https://qyapi.weixin.qq.com"),
    "WECOM_CORP_ID": os.environ.get("TIAODU_WECOM_CORP_ID", ""),
    "WECOM_AGENT_ID": os.environ.get("TIAODU_WECOM_AGENT_ID", ""),
    "WECOM_SECRET": os.environ.get("TIAODU_WECOM_SECRET", ""),
    "SMS_GATEWAY": os.environ.get(
        "TIAODU_SMS_GATEWAY", "tiaodu.messaging.transports.HttpSmsGateway"
    ),
    "SMS_URL": os.environ.get("TIAODU_SMS_URL", ""),
    "SMS_KEY": os.environ.get("TIAODU_SMS_KEY", ""),
    "SMS_TEMPLATE": os.environ.get("TIAODU_SMS_TEMPLATE", ""),
    "ATTEMPTS": int(os.environ.get("TIAODU_MESSAGING_ATTEMPTS", "5")),
    "BACKOFF_SECONDS": int(os.environ.get("TIAODU_MESSAGING_BACKOFF_S", "60")),
    "TIMEOUT": int(os.environ.get("TIAODU_MESSAGING_TIMEOUT_S", "10")),
    "DIGEST_AT": os.environ.get("TIAODU_MESSAGING_DIGEST_AT", "18:00"),
}
# A ledger check or import that saved no progress for this long has lost its worker.
# Dispatch rounds (DOMAIN.md §3): the cycle of entries no rule names, and the due and lock
# dates in working days after a period's end.
TIAODU_DEFAULT_CYCLE = os.environ.get("TIAODU_DEFAULT_CYCLE", "monthly")
# The statistics' rules (docs/statistics.md): time progress by "month" (month ÷ 12) or by
# "working_days" (working days elapsed ÷ the year's), and the lagging margin in points.
TIAODU_TIME_PROGRESS = os.environ.get("TIAODU_TIME_PROGRESS", "month")
TIAODU_LAGGING_MARGIN = int(os.environ.get("TIAODU_LAGGING_MARGIN", "10"))
# The dashboard's figures are kept this long per reader and scope, under a stamp of the
# data they were read from (a write shows at the next load); 0 reads them every time.
TIAODU_DASHBOARD_CACHE_SECONDS = int(os.environ.get("TIAODU_DASHBOARD_CACHE_SECONDS", "300"))
# The figure set of a scope (statistics page, API, bulletin, dashboard) and the home page's
# completeness totals, cached per reader and scope under a stamp of their data
# (core/stamps.py): 0 computes them at every read.
TIAODU_FIGURES_CACHE_SECONDS = int(os.environ.get("TIAODU_FIGURES_CACHE_SECONDS", "300"))
# On PostgreSQL, the memory each sort or hash of the figure set's grouped queries may use
# (work_mem, for that computation's transaction alone; the server's own default, 4MB, spills
# its sort of 100,000 entries to disk: docs/deployment.md, "PostgreSQL"). Empty: the
# server's setting.
TIAODU_HEAVY_READ_WORK_MEM = os.environ.get("TIAODU_HEAVY_READ_WORK_MEM", "32MB").strip()
if TIAODU_HEAVY_READ_WORK_MEM and not re.fullmatch(
    r"[1-9][0-9]*(kB|MB|GB)?", TIAODU_HEAVY_READ_WORK_MEM
):
    raise ImproperlyConfigured(
        "TIAODU_HEAVY_READ_WORK_MEM is a PostgreSQL memory size such as 32MB (a whole number, "
        f"then kB, MB or GB), or empty for the server's own; not {TIAODU_HEAVY_READ_WORK_MEM!r}."
    )
# After a change, a page shows the figures it kept if they are at most this old, says when
# they were computed, and a task computes the new ones (core/stamps.py); 0: the reader waits
# for them. A refresh no worker has taken for TIAODU_REFRESH_WAIT_SECONDS is computed by the
# reader.
TIAODU_FIGURES_STALE_SECONDS = int(os.environ.get("TIAODU_FIGURES_STALE_SECONDS", "86400"))
TIAODU_REFRESH_WAIT_SECONDS = int(os.environ.get("TIAODU_REFRESH_WAIT_SECONDS", "60"))
# The warm round (`manage.py warm_figures --schedule`, daily at TIAODU_WARM_AT, site time)
# computes the kept values pages read in the last TIAODU_WARM_DAYS days before the day's
# first readers come; only with a cache every process reads (TIAODU_CACHE_DIR, REDIS_URL).
TIAODU_WARM_DAYS = int(os.environ.get("TIAODU_WARM_DAYS", "7"))
try:
    TIAODU_WARM_AT = time.fromisoformat(os.environ.get("TIAODU_WARM_AT", "06:30"))
except ValueError as _error:
    raise ImproperlyConfigured("TIAODU_WARM_AT is a time of day, HH:MM (06:30).") from _error

# The API's rate limits (docs/api.md): requests per API token, and per signed-in user calling
# it from the site's pages; "N/s", "N/min", "N/hour" or "N/day"; empty for no limit. Counted
# in the default cache: the local memory of each process, shared by every server with REDIS_URL.
TIAODU_API_RATES = {
    "token": os.environ.get("TIAODU_API_TOKEN_RATE", "300/min"),
    "session": os.environ.get("TIAODU_API_SESSION_RATE", "300/min"),
}
TIAODU_REPORT_DUE_WORKING_DAYS = int(os.environ.get("TIAODU_REPORT_DUE_WORKING_DAYS", "2"))
TIAODU_REPORT_LOCK_WORKING_DAYS = int(os.environ.get("TIAODU_REPORT_LOCK_WORKING_DAYS", "5"))

TIAODU_LEDGER_IMPORT_STALE_MINUTES = int(os.environ.get("TIAODU_LEDGER_IMPORT_STALE_MIN", "10"))

# Email: the console by default (a laptop install); SMTP when TIAODU_EMAIL_HOST is set.
if os.environ.get("TIAODU_EMAIL_HOST"):
    MAILERS: dict[str, Any] = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["TIAODU_EMAIL_HOST"],
                "port": int(os.environ.get("TIAODU_EMAIL_PORT", "25")),
                "username": os.environ.get("TIAODU_EMAIL_USER", ""),
                "password": os.environ.get("TIAODU_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("TIAODU_EMAIL_TLS", False),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("TIAODU_EMAIL_FROM", "tiaodu@localhost")

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-vcenter card-table table-striped"}

TIAODU_SITE_NAME = os.environ.get("TIAODU_SITE_NAME", _("Major Project Dispatch Platform"))
TIAODU_EXPORT_MAX_ROWS = int(os.environ.get("TIAODU_EXPORT_MAX_ROWS", "50000"))
# The project library's export of this many rows or more is written by a background task
# while its page shows the progress (docs/ledger.md, "Export"); fewer rows download at once.
TIAODU_EXPORT_BACKGROUND_ROWS = int(os.environ.get("TIAODU_EXPORT_BACKGROUND_ROWS", "2000"))
# A file so written is kept this many hours, then removed.
TIAODU_EXPORT_KEEP_HOURS = int(os.environ.get("TIAODU_EXPORT_KEEP_HOURS", "24"))
# Audit events are kept at least this many days (DOMAIN.md §9: 180 at the least, which
# `manage.py archive_audit` enforces whatever this says); older ones may be archived.
TIAODU_AUDIT_RETENTION_DAYS = int(os.environ.get("TIAODU_AUDIT_RETENTION_DAYS", "180"))
# Open data (docs/open-data.md): the projects of a year on the key-project list named
# LIST are published as an OC4IDS project package. OC4IDS_PREFIX is the project-identifier
# prefix the site registered with the Open Contracting Partnership ("oc4ids-" and six
# characters), PUBLISHER the publishing body's name, URL the public address of a year's
# package ("{year}" is replaced; the API answers with its own address). Until PREFIX and
# PUBLISHER are set, the site publishes nothing.
TIAODU_OPEN_DATA = {
    "LIST": os.environ.get("TIAODU_OPEN_DATA_LIST", "公开项目"),
    "OC4IDS_PREFIX": os.environ.get("TIAODU_OC4IDS_PREFIX", ""),
    "PUBLISHER": os.environ.get("TIAODU_OPEN_DATA_PUBLISHER", ""),
    "URL": os.environ.get("TIAODU_OPEN_DATA_URL", ""),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TIAODU_LOG_LEVEL", "INFO")},
}
# Only behind a reverse proxy that sets X-Real-IP itself (docs/deployment.md).
TIAODU_TRUST_X_REAL_IP = env_bool("TIAODU_TRUST_X_REAL_IP", False)

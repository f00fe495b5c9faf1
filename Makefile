# Tiaodu (调度): the menu. `make help` lists the targets; README.md says what each does.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV := .venv
PY := $(VENV)/bin/python
# Some machines set PYTHONDONTWRITEBYTECODE=1. Then every process compiles every module it
# imports, and pytest rewrites the asserts of all 600 test modules in each worker (8 s a
# worker): let the first process write .pyc files and the others read them.
unexport PYTHONDONTWRITEBYTECODE
MANAGE := $(PY) manage.py
# The interpreter that creates .venv. Empty: the first Python >= 3.12 among python3 (pyenv
# reads .python-version, which says 3.12), python3.12, python3.13 and pyenv's versions.
PYTHON ?=
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-k lockout -x".
PYTEST_ARGS ?=
# Test processes for make test / test-pg (pytest-xdist; each has its own test database).
# auto = one per core; JOBS=0 runs the suite in this process (pdb, -x with a clear trace).
# loadgroup: tests marked xdist_group("name") run in one process (they share a module's load).
JOBS ?= auto
# The browser journeys' processes: 2 (each with its own live server, database file, worker
# and Chromium); E2E_JOBS=0 runs them in this process, one after the other.
E2E_JOBS ?= 2
# Where make e2e collects (the unit tests' modules need not be imported to be left out).
E2E_PATHS ?= tiaodu/e2e
BENCH_ARGS ?=
UV_VERSION := 0.13.8
# synchronous_commit=off for this connection: a test database need not survive a power cut,
# and the commits of migrations and transactional tests stop waiting for the disk.
PG_URL ?= postgres://postgres@127.0.0.1:5432/tiaodu?options=-c%20synchronous_commit%3Doff
DEMO_DB := $(CURDIR)/var/demo.sqlite3

# Stamps are named after a hash of what they depend on, so that a changed pyproject.toml or
# lockfile installs again, and an unchanged one (whatever its mtime after a checkout) does not.
key = $(shell cat $(1) 2>/dev/null | sha256sum | cut -c1-16)
PY_STAMP := $(VENV)/.installed-$(call key,pyproject.toml)
# The "multi" extra (Redis, RQ and django-tasks' RQ backend), for make multi-server only.
MULTI_STAMP := $(VENV)/.multi-$(call key,pyproject.toml)
NODE_STAMP := node_modules/.installed-$(call key,package.json package-lock.json)
VENDOR_STAMP := static/vendor/.vendored-$(call key,package.json package-lock.json scripts/vendor.sh)

# What the tests need from Debian: the browser, Chinese fonts for PDFs, msgfmt, pdftoppm.
SYSTEM_PACKAGES := chromium fonts-noto-cjk gettext poppler-utils ffmpeg
SYSTEM_FILES := /usr/bin/chromium /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
	/usr/bin/msgfmt /usr/bin/pdftoppm /usr/bin/ffmpeg

# compilemessages and makemessages walk the whole tree: keep them out of these.
# compilemessages runs without the settings: with them it would also compile the catalogues
# of settings.LOCALE_PATHS, django-tables2's among them, inside .venv.
I18N_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var --ignore=static --ignore=bench

.PHONY: help install demo test test-pg test-replica e2e lint format bench messages compilemessages \
	system-deps ensure-system-deps venv clean distclean multi-server multi-server-ci multi-extra \
	ensure-multi-server-deps ensure-wrk bench-load

help: ## list the targets
	@echo "Tiaodu (调度) — make <target>:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# ---------------------------------------------------------------------------- install

install: ensure-system-deps $(PY_STAMP) $(VENDOR_STAMP) ## .venv (Python >= 3.12) with the app and dev tools, node_modules, static/vendor
	@$(MAKE) compilemessages
	@echo "installed: $$($(PY) --version), $(VENV), node_modules, static/vendor, compiled catalogues"

venv: $(PY)
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "error: $(VENV) runs $$($(PY) --version 2>&1); Tiaodu needs Python >= 3.12 (.python-version says 3.12)." >&2; \
	  echo "       Remove it (rm -rf $(VENV)) and run make install again, or make install PYTHON=/path/to/python3.12." >&2; \
	  exit 1; }

$(PY):
	@py="$(PYTHON)"; \
	if [ -z "$$py" ]; then \
	  for candidate in python3 python3.12 python3.13 $$(ls -d $${HOME:-/root}/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
	    if command -v "$$candidate" >/dev/null 2>&1 \
	       && "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	      py="$$candidate"; break; \
	    fi; \
	  done; \
	fi; \
	if [ -z "$$py" ]; then \
	  echo "error: no Python >= 3.12 found (python3 is $$(python3 --version 2>&1))." >&2; \
	  echo "       .python-version asks for 3.12: pyenv install 3.12, or make install PYTHON=/path/to/python3.12." >&2; \
	  exit 1; \
	fi; \
	echo "creating $(VENV) with $$py ($$("$$py" --version 2>&1))"; \
	"$$py" -m venv $(VENV)

# uv (from PyPI, into .venv) installs the packages: the same set as pip, in seconds where
# pip takes most of a minute on a fresh machine. Modules compile to bytecode when first imported.
$(PY_STAMP): | venv
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(PY) -m uv pip install --quiet --python $(PY) -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(VENV)/.installed-$(call key,pyproject.toml)

$(NODE_STAMP):
	@command -v npm >/dev/null || { echo "error: npm is missing (Debian: apt-get install npm)." >&2; exit 1; }
	@if [ -f package-lock.json ]; then \
	  echo "npm ci"; npm ci --no-audit --no-fund; \
	else \
	  echo "npm install (no package-lock.json yet: it is written now; commit it)"; npm install --no-audit --no-fund; \
	fi
	@rm -f node_modules/.installed-*
	@touch node_modules/.installed-$$(cat package.json package-lock.json | sha256sum | cut -c1-16)

$(VENDOR_STAMP): $(NODE_STAMP) scripts/vendor.sh
	bash scripts/vendor.sh
	@touch static/vendor/.vendored-$$(cat package.json package-lock.json scripts/vendor.sh | sha256sum | cut -c1-16)

system-deps: ## Debian packages the tests need (Chromium, Noto CJK, gettext, poppler-utils, ffmpeg); root only
	@if [ "$$(id -u)" != 0 ]; then \
	  echo "system-deps: not root, skipped. An administrator installs them: apt-get install $(SYSTEM_PACKAGES)"; \
	elif ! command -v apt-get >/dev/null; then \
	  echo "system-deps: no apt-get here, skipped. Install the equivalents of: $(SYSTEM_PACKAGES)"; \
	else \
	  echo "apt-get install $(SYSTEM_PACKAGES)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq $(SYSTEM_PACKAGES); \
	fi

ensure-system-deps:
	@missing=""; for f in $(SYSTEM_FILES); do [ -e "$$f" ] || missing="$$missing $$f"; done; \
	if [ -n "$$missing" ]; then echo "missing:$$missing"; $(MAKE) system-deps; fi

# ---------------------------------------------------------------------------- run

demo: export DATABASE_URL = sqlite:///$(DEMO_DB)
demo: export TIAODU_DEBUG = 0
demo: export TIAODU_ALLOWED_HOSTS = 127.0.0.1,localhost
# The printed accounts sign in with their passwords: no role must use two-step sign-in.
demo: export TIAODU_TOTP_REQUIRED_ROLES =
demo: install ## a demo city in var/demo.sqlite3: prints the demo accounts, serves http://127.0.0.1:8000 with a task worker
	$(MAKE) compilemessages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@# Opens the periods begun since the load and queues the daily round (both idempotent).
	$(MANAGE) open_periods --schedule
	@# Sends the day's problem deadline reminders and queues their daily round (idempotent).
	$(MANAGE) problem_reminders --schedule
	@# Computes the latest closed month's cards if not yet computed and queues the monthly round.
	$(MANAGE) compute_cards --schedule
	@# Records the running campaigns' day for their trend charts and queues its daily round.
	$(MANAGE) campaign_round --schedule
	@# Sends the digests held so far and queues the daily digest of the messaging channels.
	$(MANAGE) messaging_digest --schedule
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo
	@echo "Two-step sign-in is not required on the demo (TIAODU_TOTP_REQUIRED_ROLES is empty):"
	@echo "the accounts above sign in with their passwords; any may set it up under 两步验证."
	@echo "Tiaodu demo: http://127.0.0.1:8000/ (the accounts are listed above; Ctrl-C stops the"
	@echo "server and its task worker; delete var/demo.sqlite3 to start again from scratch)"
	@# The worker runs the background tasks (the ledger import's check and import, the daily
	@# round that opens periods and sends reminders) beside the
	@# server, and stops with it, however the server ends.
	@$(MANAGE) db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null || true' EXIT; \
	trap 'exit 130' INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

# ---------------------------------------------------------------------------- check

test: $(PY_STAMP) compilemessages ## the test suite without the browser journeys (SQLite unless DATABASE_URL says otherwise)
	$(PY) -m pytest -m "not e2e" -n $(JOBS) --dist loadgroup $(PYTEST_ARGS)

test-pg: $(PY_STAMP) compilemessages ## the same suite on PostgreSQL at 127.0.0.1:5432 (PG_URL=...; creates test_tiaodu_gw0, _gw1, ...)
	DATABASE_URL='$(PG_URL)' $(PY) -m pytest -m "not e2e" -n $(JOBS) --dist loadgroup $(PYTEST_ARGS)

test-replica: $(MULTI_STAMP) compilemessages ## the database router's tests (a replica: Django's test mirror of default) and the multi-server settings
	$(PY) -m pytest --ds tiaodu.replica_test_settings tiaodu/core/tests/replica $(PYTEST_ARGS)

e2e: install compilemessages ## the browser journeys (tiaodu/e2e) in headless Chromium against a live server
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(PY) -m pytest -m e2e -n $(E2E_JOBS) --dist loadgroup $(E2E_PATHS) $(PYTEST_ARGS)

lint: $(PY_STAMP) ## ruff check, ruff format --check, mypy tiaodu and lint-imports (all four run; fails if one fails)
	@status=0; \
	echo "== ruff check ."; $(VENV)/bin/ruff check . || status=1; \
	echo "== ruff format --check ."; $(VENV)/bin/ruff format --check . || status=1; \
	echo "== mypy tiaodu"; $(VENV)/bin/mypy tiaodu || status=1; \
	echo "== lint-imports (the layers and views contracts in pyproject.toml)"; \
	$(VENV)/bin/lint-imports --no-logo || status=1; \
	exit $$status

format: $(PY_STAMP) ## apply ruff's formatting and its safe fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(PY_STAMP) ## the benchmarks (bench/run.py; results in docs/benchmarks.md)
	@if [ -f bench/run.py ]; then \
	  $(PY) bench/run.py $(BENCH_ARGS); \
	else \
	  echo "bench/run.py does not exist yet: see bench/README.md"; \
	fi

# ---------------------------------------------------------------------------- more than one server

multi-extra: $(MULTI_STAMP) ## the "multi" extra (Redis, RQ) that test-replica and multi-server need, without running them

$(MULTI_STAMP): $(PY_STAMP)
	$(PY) -m uv pip install --quiet --python $(PY) -e ".[dev,multi]"
	@rm -f $(VENV)/.multi-*
	@touch $(VENV)/.multi-$(call key,pyproject.toml)

# nginx (Debian's nginx-light, else nginx) for the load balancer of scripts/multi_server.sh;
# PostgreSQL 15 and redis-server are the machine's own.
ensure-multi-server-deps:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "apt-get install nginx-light"; export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && { apt-get install -y -qq nginx-light || apt-get install -y -qq nginx; }; \
	  else \
	    echo "error: nginx is missing (Debian: apt-get install nginx-light)." >&2; exit 1; \
	  fi; \
	fi

multi-server: $(MULTI_STAMP) ensure-multi-server-deps compilemessages ## two app servers behind nginx, a streaming replica, Redis and two RQ workers on loopback; the deadline burst with a server and a worker killed (docs/deployment.md)
	bash scripts/multi_server.sh

multi-server-ci: $(MULTI_STAMP) ensure-multi-server-deps compilemessages ## the same, reduced (200 reports, one app server killed), about 90 s
	bash scripts/multi_server.sh --ci

# wrk, the HTTP load generator of make bench-load.
ensure-wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "apt-get install wrk"; export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq wrk; \
	  else \
	    echo "error: wrk is missing (Debian: apt-get install wrk)." >&2; exit 1; \
	  fi; \
	fi

BENCH_LOAD_PROJECTS ?= 100000
bench-load: $(MULTI_STAMP) ensure-multi-server-deps ensure-wrk compilemessages ## the multi-server layout at 100,000 projects (BENCH_LOAD_PROJECTS): a trivial page and the dashboard (wrk), the deadline burst under a read load; about 10 min (docs/benchmarks.md)
	bash scripts/multi_server.sh --scale $(BENCH_LOAD_PROJECTS)

# ---------------------------------------------------------------------------- translations

messages: $(PY_STAMP) ## update the zh_Hans catalogue from the Python code and templates, then compile it
	$(MANAGE) makemessages -l zh_Hans $(I18N_IGNORE)
	$(MAKE) compilemessages

compilemessages: $(PY_STAMP) ensure-system-deps
	@if find tiaodu -path '*/locale/*' -name '*.po' | grep -q .; then \
	  env -u DJANGO_SETTINGS_MODULE $(PY) -m django compilemessages $(I18N_IGNORE); \
	else \
	  echo "compilemessages: no catalogue yet (make messages writes tiaodu/locale)"; \
	fi

# ---------------------------------------------------------------------------- clean

clean: ## remove what the targets generate (collected static, vendored files, screenshots, caches)
	rm -rf var/static var/screenshots static/vendor test-results .mypy_cache .ruff_cache .pytest_cache \
	  .import_linter_cache
	find . \( -path ./.venv -o -path ./node_modules -o -path ./.git \) -prune -o \
	  -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean ## clean, and remove .venv, node_modules and var/ (its databases too)
	rm -rf $(VENV) node_modules var

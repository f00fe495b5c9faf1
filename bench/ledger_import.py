"""The ledger import as a whole process, beside a bare read and a peer library (issue 16).

On one generated ledger of N rows and 16 columns (20,000 by default; Qingdao's districts,
200 owner units, all new projects), each timed as a whole process, the median of
`--repeat` runs (3):

(a) `manage.py import_ledger FILE --year 2026` into a fresh SQLite site and a fresh
    PostgreSQL site (migrated, with the regions and a city dispatcher, copied from a
    template before every run), with ru_maxrss of the child and, from a separate traced
    run, tracemalloc's peak;
(b) python-calamine reading every cell of the same file (a bare interpreter);
(c) django-import-export 4.4.3 with bulk writes (`use_bulk`, `batch_size`) importing the
    same file into a flat model with the same 16 columns on SQLite, in the benchmark's own
    virtual environment (var/bench-peers/.venv, made by this script with pip: Django,
    django-import-export and tablib[xlsx]) and a small standalone settings module under
    var/bench-peers/; nothing of it is in the application's dependencies.

Also `manage.py check` alone: the start-up every `manage.py` command pays.

Usage: python bench/ledger_import.py [--size 20000] [--repeat 3] [--no-postgres] [--no-peer]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PG_URL, machine, record  # noqa: E402

YEAR = 2026
AS_OF = "2026-09-30"
PG_DB = ["-h", "127.0.0.1", "-U", "postgres"]
PEERS = ROOT / "var" / "bench-peers"
PEER_PYTHON = PEERS / ".venv" / "bin" / "python"
PEER_PACKAGES = ["Django==6.1.3", "django-import-export==4.4.3", "tablib[xlsx]==3.10.0"]
# The 16 columns of the generated ledger.
COLUMNS = (
    "sequence",
    "name",
    "region",
    "level",
    "nature",
    "reserve_stage",
    "category",
    "construction_content",
    "total_investment",
    "planned_investment",
    "ytd_completed",
    "planned_start",
    "planned_completion",
    "owner_unit",
    "contact_name",
    "contact_phone",
)
PG_NAME = PG_URL.rsplit("/", 1)[1] + "_import"
PG_TEMPLATE = PG_NAME + "_template"
PG_BASE = PG_URL.rsplit("/", 1)[0]


# ----------------------------------------------------------------------------- the children


def prepare(database_url: str, ledger: Path, size: int) -> None:
    """Migrate the template site, give it the regions and a city dispatcher; write the
    ledger when it is not there yet. Runs in a child process."""
    from bench.ledger_and_figures import _city_dispatcher, _django, write_ledger

    _django(database_url)
    _city_dispatcher()
    if not ledger.exists():
        write_ledger(ledger, size, only=COLUMNS)
    from django.db import connection

    if connection.vendor == "sqlite":  # all in the main file, which is what gets copied
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def traced_import(argv: list[str]) -> None:
    """`manage.py import_ledger …` with tracemalloc on from the start; prints the peak."""
    import runpy
    import tracemalloc

    tracemalloc.start()
    sys.argv = ["manage.py", *argv]
    try:
        runpy.run_path(str(ROOT / "manage.py"), run_name="__main__")
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        print(f"TRACED_PEAK\t{peak}", flush=True)


def calamine_read(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    cells = 0
    for row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python():
        cells += len(row)
    print(f"cells={cells}")


# ------------------------------------------------------------------------- the peer library

PEER_SETTINGS = """\
SECRET_KEY = "bench"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "import_export", "peerledger"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": __import__("os").environ["PEER_DB"]}}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
"""

PEER_MODELS = """\
from django.db import models


class LedgerRow(models.Model):
    sequence = models.IntegerField(null=True)
    name = models.CharField(max_length=200)
    region = models.CharField(max_length=100)
    level = models.CharField(max_length=20)
    nature = models.CharField(max_length=20)
    reserve_stage = models.CharField(max_length=40, blank=True, null=True)
    category = models.CharField(max_length=20, blank=True, null=True)
    construction_content = models.TextField(blank=True, null=True)
    total_investment = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    planned_investment = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    ytd_completed = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    planned_start = models.DateField(null=True)
    planned_completion = models.DateField(null=True)
    owner_unit = models.CharField(max_length=100, blank=True, null=True)
    contact_name = models.CharField(max_length=50, blank=True, null=True)
    contact_phone = models.CharField(max_length=32, blank=True, null=True)
"""

PEER_IMPORT = """\
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_settings")
import django
django.setup()
import tablib
from import_export import fields, resources
from peerledger.models import LedgerRow

HEADERS = {headers!r}


class LedgerResource(resources.ModelResource):
    class Meta:
        model = LedgerRow
        use_bulk = True
        batch_size = 1000
        force_init_instance = True
        import_id_fields = ()


for attribute, header in HEADERS.items():
    LedgerResource.fields[attribute] = fields.Field(
        attribute=attribute, column_name=header, widget=LedgerResource.widget_from_django_field(
            LedgerRow._meta.get_field(attribute))(**LedgerResource.widget_kwargs_for_field(
                attribute, LedgerRow._meta.get_field(attribute)))
    )
with open(sys.argv[1], "rb") as handle:
    dataset = tablib.Dataset().load(handle.read(), format="xlsx")
result = LedgerResource().import_data(dataset, dry_run=False, raise_errors=True)
assert not result.has_errors() and not result.has_validation_errors()
assert LedgerRow.objects.count() == len(dataset), (LedgerRow.objects.count(), len(dataset))
print("rows=%d" % LedgerRow.objects.count())
"""


def make_peer(ledger_headers: dict[str, str]) -> Path:
    """The peer's virtual environment, settings, flat model and empty database (a template)."""
    if not PEER_PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS / ".venv")], check=True)
    check = subprocess.run(
        [str(PEER_PYTHON), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    )
    if not all(p.replace("[xlsx]", "") in check.stdout for p in PEER_PACKAGES):
        subprocess.run([str(PEER_PYTHON), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    app = PEERS / "peerledger"
    (app / "migrations").mkdir(parents=True, exist_ok=True)
    (app / "__init__.py").write_text("")
    (app / "migrations" / "__init__.py").write_text("")
    (app / "models.py").write_text(PEER_MODELS)
    (PEERS / "peer_settings.py").write_text(PEER_SETTINGS)
    (PEERS / "peer_import.py").write_text(PEER_IMPORT.format(headers=ledger_headers))
    template = PEERS / "template.sqlite3"
    template.unlink(missing_ok=True)
    env = {**os.environ, "PEER_DB": str(template), "DJANGO_SETTINGS_MODULE": "peer_settings"}
    env.pop("DATABASE_URL", None)
    django_admin = [str(PEER_PYTHON), "-m", "django"]
    for old in (app / "migrations").glob("0*.py"):
        old.unlink()
    subprocess.run(
        [*django_admin, "makemigrations", "peerledger", "-v0"], cwd=PEERS, env=env, check=True
    )
    subprocess.run([*django_admin, "migrate", "-v0"], cwd=PEERS, env=env, check=True)
    return template


# ---------------------------------------------------------------------------------- driver


def _run_child(
    command: list[str], env: dict[str, str], cwd: Path = ROOT
) -> tuple[float, float, str]:
    """Run a whole process: its wall seconds, its own ru_maxrss in MB (os.wait4), its output."""
    read, write = os.pipe()
    begin = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: its output into the pipe, then exec
        os.close(read)
        os.dup2(write, 1)
        os.dup2(write, 2)
        os.chdir(cwd)
        os.execve(command[0], command, env)
    os.close(write)
    chunks = []
    with os.fdopen(read, "r") as stream:
        chunks.append(stream.read())
    _pid, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - begin
    output = "".join(chunks)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stderr.write(output)
        raise SystemExit(f"{' '.join(command[:4])} failed")
    return seconds, usage.ru_maxrss / 1024, output


def _median(runs: list[tuple[float, float, str]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def _psql(*args: str) -> None:
    subprocess.run(list(args), check=True, capture_output=True)


def run(size: int, repeat: int, postgres: bool, peer: bool) -> str:
    python = str(ROOT / ".venv" / "bin" / "python")
    if not Path(python).exists():
        python = sys.executable
    # A server runs from compiled modules: a machine that sets PYTHONDONTWRITEBYTECODE would
    # have every child compile the whole site again (0.4 s of each run here).
    base_env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONDONTWRITEBYTECODE")
    }
    base_env["DJANGO_SETTINGS_MODULE"] = "tiaodu.settings"
    rows: list[str] = []
    results: dict[str, tuple[float, float]] = {}
    traced: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        ledger = Path(scratch) / f"ledger-{size}.xlsx"
        template = Path(scratch) / "template.sqlite3"
        site = Path(scratch) / "site.sqlite3"
        print(f"preparing the SQLite site and a {size:,}-row ledger", flush=True)
        subprocess.run(
            [
                python,
                __file__,
                "--child",
                "prepare",
                f"sqlite:///{template}",
                str(ledger),
                str(size),
            ],
            env=base_env,
            check=True,
        )
        sites = [("SQLite", f"sqlite:///{site}")]
        if postgres:
            print("preparing the PostgreSQL site", flush=True)
            _psql("dropdb", *PG_DB, "--if-exists", PG_TEMPLATE)
            _psql("createdb", *PG_DB, PG_TEMPLATE)
            subprocess.run(
                [
                    python,
                    __file__,
                    "--child",
                    "prepare",
                    f"{PG_BASE}/{PG_TEMPLATE}",
                    str(ledger),
                    str(size),
                ],
                env=base_env,
                check=True,
            )
            sites.append(("PostgreSQL", f"{PG_BASE}/{PG_NAME}"))

        def fresh(label: str) -> None:
            if label == "SQLite":
                shutil.copyfile(template, site)
            else:
                _psql("dropdb", *PG_DB, "--if-exists", PG_NAME)
                _psql("createdb", *PG_DB, "-T", PG_TEMPLATE, PG_NAME)

        command = [
            "import_ledger",
            str(ledger),
            "--year",
            str(YEAR),
            "--as-of",
            AS_OF,
            "--actor",
            "city",
        ]
        fresh("SQLite")
        env = {**base_env, "DATABASE_URL": f"sqlite:///{site}"}
        print("manage.py check", flush=True)
        results["check"] = _median(
            [_run_child([python, "manage.py", "check"], env) for _ in range(repeat)]
        )
        for label, url in sites:
            env = {**base_env, "DATABASE_URL": url}
            runs = []
            for index in range(repeat):
                fresh(label)
                print(f"import_ledger, {label}, run {index + 1}", flush=True)
                runs.append(_run_child([python, "manage.py", *command], env))
                assert "imported as" in runs[-1][2], runs[-1][2]
            results[label] = _median(runs)
            fresh(label)
            print(f"import_ledger, {label}, traced", flush=True)
            out = _run_child([python, __file__, "--child", "traced", *command], env)[2]
            traced[label] = (
                next(
                    int(line.split("\t")[1])
                    for line in out.splitlines()
                    if line.startswith("TRACED_PEAK")
                )
                / 2**20
            )
        print("python-calamine, bare read", flush=True)
        results["calamine"] = _median(
            [
                _run_child([python, __file__, "--child", "calamine", str(ledger)], base_env)
                for _ in range(repeat)
            ]
        )
        if peer:
            headers_out = subprocess.run(
                [python, __file__, "--child", "headers"],
                env=base_env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            mapping = dict(line.split("\t") for line in headers_out.strip().splitlines())
            peer_template = make_peer(mapping)
            peer_db = PEERS / "run.sqlite3"
            peer_env = {
                **base_env,
                "PEER_DB": str(peer_db),
                "DJANGO_SETTINGS_MODULE": "peer_settings",
            }
            runs = []
            for index in range(repeat):
                shutil.copyfile(peer_template, peer_db)
                print(f"django-import-export, run {index + 1}", flush=True)
                runs.append(
                    _run_child(
                        [str(PEER_PYTHON), "peer_import.py", str(ledger)], peer_env, cwd=PEERS
                    )
                )
                assert f"rows={size}" in runs[-1][2], runs[-1][2]
            results["peer"] = _median(runs)
            peer_db.unlink(missing_ok=True)
        if postgres:
            _psql("dropdb", *PG_DB, "--if-exists", PG_NAME)
            _psql("dropdb", *PG_DB, "--if-exists", PG_TEMPLATE)
    calamine = results["calamine"][0]
    stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    rows = [
        f"### {stamp} · {machine()} · {size:,} rows × 16 columns, medians of {repeat}",
        "",
        f"`manage.py check` alone (Django's start-up): {results['check'][0]:.2f} s, "
        f"ru_maxrss {results['check'][1]:.0f} MB.",
        "",
        "| case | s | ru_maxrss MB | tracemalloc peak MB | ÷ calamine read | django-import-export ÷ case |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, _url in sites:
        seconds, rss = results[label]
        versus = f"{results['peer'][0] / seconds:.1f}×" if "peer" in results else "—"
        rows.append(
            f"| `manage.py import_ledger`, {label} | {seconds:.2f} | {rss:.0f} "
            f"| {traced[label]:.0f} | {seconds / calamine:.1f}× | {versus} |"
        )
    rows.append(
        f"| python-calamine, bare read of every cell | {calamine:.2f} "
        f"| {results['calamine'][1]:.0f} | — | 1.0× | — |"
    )
    if "peer" in results:
        seconds, rss = results["peer"]
        rows.append(
            f"| django-import-export 4.4.3, `use_bulk`, SQLite | {seconds:.2f} | {rss:.0f} | — "
            f"| {seconds / calamine:.1f}× | 1.0× |"
        )
    return "\n".join(rows) + "\n"


def headers() -> None:
    """The standard template's header of each of the 16 columns (for the peer's model)."""
    from tiaodu.projects.ledger.columns import BY_ID

    for column_id in COLUMNS:
        print(f"{column_id}\t{BY_ID[column_id].header}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, rest = args.child[0], args.child[1:]
        if kind == "prepare":
            prepare(rest[0], Path(rest[1]), int(rest[2]))
        elif kind == "traced":
            traced_import(rest)
        elif kind == "calamine":
            calamine_read(Path(rest[0]))
        elif kind == "headers":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
            import django

            django.setup()
            headers()
        return 0
    report = run(args.size, args.repeat, not args.no_postgres, not args.no_peer)
    print()
    print(report)
    record(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`make bench`: the project library at a province's scale, on SQLite and on PostgreSQL.

For each database and each size (1,200 and 20,000 projects by default) it times, with
Django's test client in one process: the library list (first page, a filtered page, a
text search, a sort), the xlsx export of one district, and a project page; it reports
the median and the 95th percentile of repeated requests and the number of queries.
Results are printed and appended to bench/results/<date>.md (not committed); the runs
worth keeping are copied into docs/benchmarks.md.

`--suite ledger` runs bench/ledger_and_figures.py instead (the ledger import and the
figure set beside bare baselines); `--suite import` runs bench/ledger_import.py (the whole
`manage.py import_ledger` process beside python-calamine and django-import-export);
`--suite burst` runs bench/deadline_burst.py (1,000 report submissions from 50 clients
against gunicorn on PostgreSQL); `--suite cards` runs bench/cards.py (computing a month's
cards for 20,000 plan entries); `--suite dashboard` runs bench/dashboard.py (the
dashboard beside a trivial page); `--suite pages` runs bench/pages.py (the pages, the card
computation and the bulletin on one database of 100,000 projects with two years of
activity; `--sizes` gives another size, the last one named); `--suite all` (the default)
runs them all (the burst only with PostgreSQL).

Usage: python bench/run.py [--suite all|library|ledger|import|burst|cards|dashboard|pages]
       [--sizes 1200,20000]
       [--repeat 15] [--no-postgres]
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/tiaodu_bench")
YEAR = 2026


def record(report: str) -> None:
    """Append a run's report to bench/results/<today>.md (kept out of git)."""
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().astimezone().date().isoformat()
    with (results / f"{stamp}.md").open("a", encoding="utf-8") as handle:
        handle.write(report + "\n")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def run_case(database_url: str, size: int, repeat: int) -> list[tuple[str, float, float, int, int]]:
    """Set up a fresh database, fill it, and time the cases. Runs in a child process."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    # The export is timed as written in the request, however many rows it has (from
    # TIAODU_EXPORT_BACKGROUND_ROWS on the site writes it in a background task, the same way).
    os.environ["TIAODU_EXPORT_BACKGROUND_ROWS"] = str(10**9)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from bench.scale import build
    from tiaodu.projects.models import Project

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    call_command(
        "flush", interactive=False, verbosity=0
    ) if connection.vendor == "postgresql" else None
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    users = build(projects=size, year=YEAR)
    with connection.cursor() as cursor:
        # A site's tables have planner statistics (autovacuum on PostgreSQL); fresh bulk-loaded
        # ones do not until analysed, and the planner then picks poor join orders.
        cursor.execute("ANALYZE")
    print(f"  filled {size} projects in {time.perf_counter() - started:.1f} s", flush=True)
    client = Client()
    client.force_login(users["city"])
    from tiaodu.accounts.models import OrgUnit

    district = OrgUnit.objects.get(region_code="370211")
    project = Project.objects.order_by("id").first()
    assert project is not None
    cases = [
        ("library, first page", "/projects/", {"year": YEAR}),
        (
            "library, filtered",
            "/projects/",
            {"year": YEAR, "region": district.pk, "nature": "continuing"},
        ),
        ("library, text search", "/projects/", {"year": YEAR, "q": "医院"}),
        ("library, sorted by name", "/projects/", {"year": YEAR, "sort": "name", "page": 3}),
        (
            "export xlsx, one district",
            "/projects/export.xlsx",
            {"year": YEAR, "region": district.pk},
        ),
        ("project page", f"/projects/{project.pk}/", {}),
    ]
    results = []
    for name, url, params in cases:
        timings = []
        queries = rows = 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                response = client.get(url, params)
                timings.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, (name, response.status_code)
            queries = len(captured.captured_queries)
            rows = len(response.content)
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        results.append((name, statistics.median(timings), p95, queries, rows))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1200,20000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--suite",
        choices=("all", "library", "ledger", "import", "burst", "cards", "dashboard", "pages"),
        default="all",
    )
    parser.add_argument("--child", nargs=2, metavar=("URL", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        for name, median, p95, queries, size in run_case(
            args.child[0], int(args.child[1]), args.repeat
        ):
            print(f"RESULT\t{name}\t{median:.1f}\t{p95:.1f}\t{queries}\t{size}", flush=True)
        return 0
    if args.suite == "ledger":
        return _ledger_suite(args)
    if args.suite == "import":
        return _import_suite(args)
    if args.suite == "burst":
        return _burst_suite(args)
    if args.suite == "cards":
        return _cards_suite(args)
    if args.suite == "dashboard":
        return _dashboard_suite(args)
    if args.suite == "pages":
        return _pages_suite(args)

    import subprocess

    databases = []
    with tempfile.TemporaryDirectory() as scratch:
        databases.append(("SQLite", f"sqlite:///{scratch}/bench.sqlite3"))
        if not args.no_postgres:
            databases.append(("PostgreSQL", PG_URL))
        lines = [
            f"### {datetime.now().astimezone().date().isoformat()} · {machine()}",
            "",
            "| database | projects | case | median ms | p95 ms | queries | bytes |",
            "|---|---:|---|---:|---:|---:|---:|",
        ]
        for label, url in databases:
            for size in [int(s) for s in args.sizes.split(",")]:
                if label == "SQLite":
                    Path(f"{scratch}/bench.sqlite3").unlink(missing_ok=True)
                else:
                    subprocess.run(
                        [
                            "dropdb",
                            "-h",
                            "127.0.0.1",
                            "-U",
                            "postgres",
                            "--if-exists",
                            "tiaodu_bench",
                        ],
                        check=True,
                    )
                    subprocess.run(
                        ["createdb", "-h", "127.0.0.1", "-U", "postgres", "tiaodu_bench"],
                        check=True,
                    )
                print(f"{label}, {size} projects", flush=True)
                child = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--repeat",
                        str(args.repeat),
                        "--child",
                        url,
                        str(size),
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                sys.stdout.write(
                    "".join(
                        out + "\n"
                        for out in child.stdout.splitlines()
                        if not out.startswith("RESULT")
                    )
                )
                if child.returncode != 0:
                    sys.stderr.write(child.stderr)
                    return child.returncode
                for line in child.stdout.splitlines():
                    if line.startswith("RESULT"):
                        _tag, case, median_ms, p95_ms, count, size_bytes = line.split("\t")
                        lines.append(
                            f"| {label} | {size:,} | {case} | {median_ms} | {p95_ms} | {count} "
                            f"| {int(size_bytes):,} |"
                        )
        if not args.no_postgres:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "tiaodu_bench"],
                check=False,
            )
    report = "\n".join(lines) + "\n"
    print()
    print(report)
    record(report)
    if args.suite != "all":
        return 0
    return (
        _ledger_suite(args)
        or _import_suite(args)
        or _cards_suite(args)
        or _dashboard_suite(args)
        or _pages_suite(args)
        or (0 if args.no_postgres else _burst_suite(args))
    )


def _ledger_suite(args: argparse.Namespace) -> int:
    from bench import ledger_and_figures

    argv = ["--repeat", str(min(args.repeat, 5))]
    if args.sizes != "1200,20000":
        argv += ["--sizes", args.sizes]
    if args.no_postgres:
        argv.append("--no-postgres")
    return ledger_and_figures.main(argv)


def _one_size_argv(args: argparse.Namespace, *, repeat: int) -> list[str]:
    """The arguments of a suite measured at one size: at most `repeat` repeats, the last of
    `--sizes` if it was given, and `--no-postgres`."""
    argv = ["--repeat", str(min(args.repeat, repeat))]
    if args.sizes != "1200,20000":
        argv += ["--size", args.sizes.split(",")[-1]]
    if args.no_postgres:
        argv.append("--no-postgres")
    return argv


def _import_suite(args: argparse.Namespace) -> int:
    """`manage.py import_ledger` as a whole process beside python-calamine and
    django-import-export (bench/ledger_import.py); `--sizes` gives the rows (one size)."""
    from bench import ledger_import

    return ledger_import.main(_one_size_argv(args, repeat=3))


def _cards_suite(args: argparse.Namespace) -> int:
    """Computing the month's cards (bench/cards.py)."""
    from bench import cards

    argv = ["--repeat", str(min(args.repeat, 3))]
    if args.sizes != "1200,20000":
        argv += ["--sizes", args.sizes]
    if args.no_postgres:
        argv.append("--no-postgres")
    return cards.main(argv)


def _dashboard_suite(args: argparse.Namespace) -> int:
    """The dashboard beside a trivial page (bench/dashboard.py)."""
    from bench import dashboard

    argv = ["--repeat", str(min(args.repeat, 5))]
    if args.no_postgres:
        argv.append("--no-postgres")
    return dashboard.main(argv)


def _pages_suite(args: argparse.Namespace) -> int:
    """The pages, the cards and the bulletin at 100,000 projects (bench/pages.py);
    `--sizes` gives another size (the last one named)."""
    from bench import pages

    return pages.main(_one_size_argv(args, repeat=7))


def _burst_suite(args: argparse.Namespace) -> int:
    """The deadline burst needs PostgreSQL and gunicorn (bench/deadline_burst.py)."""
    from bench import deadline_burst

    return deadline_burst.main([])


if __name__ == "__main__":
    raise SystemExit(main())

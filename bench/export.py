"""The project library's xlsx export of 10,000 rows, as the tree is and as another was.

One SQLite database is filled once (`--size` projects, 10,000 by default, with the
issue-16 pages' data: `scale.build`, `ledger_and_figures.enrich`, `scale.activity`) and
analysed; then, each in a child process of its own on a copy of it, this tree and the one
of `--before` (a commit, extracted with `git archive`) request the export of every
project through Django's test client as the city dispatcher, the clock at 20 December
2026: a warm-up and `--repeat` requests (median, 95th percentile, queries, bytes). Both
trees write the file directly (TIAODU_EXPORT_BACKGROUND_ROWS high). The two files are then
compared: the sheet's and the styles' XML byte for byte.

At 100,000 projects the district of the pages benchmark exports 10,000 rows; the whole
city of a 10,000-project database is the same 10,000 rows (with the same lists, figures
and reports per entry), filled in seconds rather than minutes.

Usage: python bench/export.py [--size 10000] [--repeat 5] [--before 7aa4ef1]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from datetime import date
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import machine, record  # noqa: E402
from bench.scratch import child, print_result  # noqa: E402

YEAR = 2026
TODAY = date(YEAR, 12, 20)
GOAL_MS = 3000.0
# The parts of the file compared between the two trees.
COMPARED = ("xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml")


def _django(database_url: str, tree: Path) -> None:
    sys.path.insert(0, str(tree))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "tiaodu.settings"
    # The direct download whatever the number of rows (the background task writes the
    # same file the same way).
    os.environ["TIAODU_EXPORT_BACKGROUND_ROWS"] = str(10**9)
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.TIAODU_SECURITY = {**settings.TIAODU_SECURITY, "TOTP_REQUIRED_ROLES": frozenset()}


def fill(database_url: str, size: int) -> None:
    _django(database_url, ROOT)
    from django.core.management import call_command
    from django.db import connection

    from bench.ledger_and_figures import enrich
    from bench.scale import activity, build

    call_command("migrate", verbosity=0)
    begin = time.perf_counter()
    build(projects=size, year=YEAR)
    enrich()
    counts = activity(year=YEAR, today=TODAY)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  filled in {time.perf_counter() - begin:.1f} s: {counts}", flush=True)
    print_result({"filled": 1})


def timed(database_url: str, tree: Path, repeat: int, out: Path) -> None:
    _django(database_url, tree)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tiaodu.accounts.models import User
    from tiaodu.core import clock

    client = Client()
    client.force_login(User.objects.get(username="city"))
    timings = []
    queries = 0
    body = b""
    with clock.frozen(TODAY):
        for index in range(repeat + 1):
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                response = client.get("/projects/export.xlsx", {"year": YEAR})
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                elapsed = (time.perf_counter() - begin) * 1000
            assert response.status_code == 200, response.status_code
            if index:  # the first is the warm-up
                timings.append(elapsed)
                queries = len(captured)
    out.write_bytes(body)
    from openpyxl import load_workbook

    rows = sum(1 for _row in load_workbook(BytesIO(body), read_only=True).active.iter_rows())
    timings.sort()
    print_result(
        {
            "median_ms": statistics.median(timings),
            "p95_ms": timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))],
            "queries": queries,
            "bytes": len(body),
            "rows": rows - 1,
        }
    )


def _extract(commit: str, folder: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    # Its catalogues (the vocabularies' Chinese labels), as `make` builds them.
    subprocess.run(
        [sys.executable, "manage.py", "compilemessages", "-v0", "--ignore=bench"],
        cwd=folder,
        check=True,
    )
    return folder


def _same(first: Path, second: Path) -> str:
    with zipfile.ZipFile(first) as one, zipfile.ZipFile(second) as other:
        differ = [name for name in COMPARED if one.read(name) != other.read(name)]
    return "identical" if not differ else "DIFFERENT: " + ", ".join(differ)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", default="", help="a commit to compare with")
    parser.add_argument("--fill", help=argparse.SUPPRESS)
    parser.add_argument("--timed", help=argparse.SUPPRESS)
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fill:
        fill(args.fill, args.size)
        return 0
    if args.timed:
        timed(args.timed, Path(args.tree), args.repeat, Path(args.out))
        return 0
    load = os.getloadavg()
    lines = [
        f"### Export of {args.size:,} rows (bench/export.py) · {machine()} · "
        f"load average {load[0]:.2f} at the start"
    ]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        filled = folder / "filled.sqlite3"
        print(f"filling {args.size:,} projects", flush=True)
        child(__file__, ["--fill", f"sqlite:///{filled}", "--size", str(args.size)])
        trees = [("this tree", ROOT)]
        if args.before:
            trees.insert(0, (args.before, _extract(args.before, folder / "before")))
        files = []
        lines += [
            "",
            "| tree | median | p95 | queries | rows | bytes | goal |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for label, tree in trees:
            copy = folder / f"{len(files)}.sqlite3"
            shutil.copy(filled, copy)
            out = folder / f"{len(files)}.xlsx"
            found = child(
                __file__,
                [
                    "--timed",
                    f"sqlite:///{copy}",
                    "--tree",
                    str(tree),
                    "--repeat",
                    str(args.repeat),
                    "--out",
                    str(out),
                ],
            )
            files.append(out)
            verdict = "met" if found["median_ms"] <= GOAL_MS else "not met"
            lines.append(
                f"| {label} | {found['median_ms']:,.0f} ms | {found['p95_ms']:,.0f} ms | "
                f"{found['queries']:.0f} | {found['rows']:,.0f} | {found['bytes'] / 1e6:.2f} MB | "
                f"≤ 3 s: {verdict} |"
            )
        if len(files) == 2:
            lines += ["", f"The two files' sheet, styles and workbook XML: {_same(*files)}."]
    load = os.getloadavg()
    lines += ["", f"Load average at the end: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}."]
    text = "\n".join(lines)
    print(text)
    record(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The pages, the card computation and the bulletin at 100,000 projects (issue 16).

For each database (SQLite, and PostgreSQL unless --no-postgres: `BENCH_PAGES_PG_URL`,
default the local server's `tiaodu_bench_pages` database, created and dropped by the run),
in a child process, one database is filled once with `--size` projects (100,000 by
default): `scale.build`, `ledger_and_figures.enrich` and `scale.activity` (two years of
monthly reports for a tenth of the entries, problems and notices), then analysed. With the
clock at 20 December 2026 it times, in this order:

- computing November's cards (`scoring.services.compute_cards`): the first computation
  (every card inserted) and, `--function-repeat` times, a computation that changes nothing;
  the tables are analysed again afterwards, as autovacuum would after so many inserts;
- building November's bulletin over the whole site (`documents.contents.build` and its
  Word, PDF and workbook files), `--function-repeat` times;
- through Django's test client as the city dispatcher, one warm-up and then `--repeat`
  requests each (median and 95th percentile, the queries of a request, the bytes): the
  home page, the library's first page, a project page with two years of reports and its
  reports tab, the statistics page, the dashboard and the xlsx export of one district
  (Shinan, a tenth of the projects). A page over 5 s is requested three times, not
  `--repeat`; a statement running over 120 s (BENCH_PAGES_STATEMENT_LIMIT) is cut off and
  the page recorded as such.

Three ways of meeting the pages (MODES): by default nothing is kept — the cache is
emptied before each request (outside the time), so it computes what it shows, and reuses
within itself what it computed once (the figure set the statistics page's panels share), as
the first reader of a scope in a day or after a restart does. With `--after-change` a change
is recorded before each request instead: the page shows the figures it kept, with their
time, and what it leaves to compute again (after its answer, or in a worker: `core.stamps`)
runs after the request, timed apart. With `--cached` the caches are kept and nothing
changes. For each page whose median is over the goal (300 ms), one more request
is captured (`CaptureQueriesContext`) and its three slowest SELECTs are explained
(`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN (ANALYZE, BUFFERS)` on PostgreSQL). The table
is printed and, with the plans, appended to bench/results/<date>.md.

Goals (issue 16): pages ≤ 300 ms median; the card computation ≤ 20 s; the export of one
district's 10,000 rows ≤ 3 s.

`--keep` leaves the filled databases (var/bench/pages.sqlite3, and the PostgreSQL one)
for looking at plans afterwards; the next run starts them afresh, unless `--reuse`, which
measures the databases a `--keep` run left (filling one that is missing).

With `--after-restart` the cache is files in a scratch folder (TIAODU_CACHE_DIR): a first
process reads each page once (not recorded), and a second one, started afresh, is timed
reading what the first kept, as after a restart or a deployment of a site whose cache is
in files (or Redis). With `--after-warm` (the same cache) each page is read once, a change
is recorded, the warm round (`stamps.warm`) computes what was read, timed, and the pages are
then timed as Monday morning's first readers meet them.

Usage: python bench/pages.py [--size 100000] [--repeat 7] [--function-repeat 2]
       [--no-postgres] [--keep] [--reuse]
       [--cached | --after-change | --after-restart | --after-warm]
"""

import argparse
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import record  # noqa: E402
from bench.scratch import Databases, databases  # noqa: E402

YEAR = 2026
MONTH = date(YEAR, 11, 1)
TODAY = date(YEAR, 12, 20)
DISTRICT = "370211"  # Shinan
PAGE_GOAL_MS = 300.0
CARDS_GOAL_S = 20.0
EXPORT_GOAL_MS = 3000.0
SLOWEST = 3
# A statement running longer is cut off and the page recorded as cut off.
STATEMENT_LIMIT_S = float(os.environ.get("BENCH_PAGES_STATEMENT_LIMIT", "120"))
# A page slower than this is requested 3 times, not --repeat.
SLOW_PAGE_MS = 5000.0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _explain(connection: Any, sql: str, analyse: bool = True) -> str:
    """The plan of one captured statement, as text (on PostgreSQL run, unless not `analyse`)."""
    prefix = (
        "EXPLAIN QUERY PLAN "
        if connection.vendor == "sqlite"
        else "EXPLAIN (ANALYZE, BUFFERS) "
        if analyse
        else "EXPLAIN "
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            rows = cursor.fetchall()
    except Exception as error:  # a statement the driver's quoting did not reproduce
        return f"(not explained: {error})"
    if connection.vendor == "sqlite":
        return "\n".join(f"{row[0]}|{row[1]}|{row[3]}" for row in rows)
    return "\n".join(row[0] for row in rows)


def fill(size: int) -> dict[str, Any]:
    from django.db import connection

    from bench.ledger_and_figures import enrich
    from bench.scale import activity, build

    timings: dict[str, Any] = {}
    begin = time.perf_counter()
    build(projects=size, year=YEAR)
    timings["build_s"] = time.perf_counter() - begin
    print(f"  build: {timings['build_s']:.1f} s", flush=True)
    begin = time.perf_counter()
    enrich()
    timings["enrich_s"] = time.perf_counter() - begin
    print(f"  enrich: {timings['enrich_s']:.1f} s", flush=True)
    begin = time.perf_counter()
    timings["counts"] = activity(year=YEAR, today=TODAY)
    timings["activity_s"] = time.perf_counter() - begin
    print(f"  activity: {timings['activity_s']:.1f} s, {timings['counts']}", flush=True)
    begin = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["analyze_s"] = time.perf_counter() - begin
    return timings


def cards(function_repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tiaodu.scoring import services

    with CaptureQueriesContext(connection) as captured:
        begin = time.perf_counter()
        first = services.compute_cards(actor=None, month=MONTH, reason="bench")
        first_s = time.perf_counter() - begin
    print(f"  cards: first {first_s:.2f} s, {first.cards} cards {first.colours}", flush=True)
    again = []
    for _ in range(function_repeat):
        begin = time.perf_counter()
        services.compute_cards(actor=None, month=MONTH, reason="bench again")
        again.append(time.perf_counter() - begin)
    print(f"  cards again: {[round(t, 2) for t in again]}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "cards": first.cards,
        "colours": dict(first.colours),
        "first_s": first_s,
        "first_queries": len(captured.captured_queries),
        "again_s": statistics.median(again) if again else None,
        "again_max_s": max(again) if again else None,
    }


def bulletin(function_repeat: int) -> dict[str, Any]:
    from tiaodu.analytics.figures import WHOLE_SITE
    from tiaodu.documents import contents, docx, pdf, xlsx

    steps: dict[str, list[float]] = {"content": [], "docx": [], "pdf": [], "xlsx": [], "whole": []}
    content = None
    from django.core.cache import cache

    for _ in range(max(1, function_repeat)):
        cache.clear()  # each bulletin computes its figures, as the first after a change
        start = time.perf_counter()
        content = contents.build(actor=WHOLE_SITE, month=MONTH, number=1)
        steps["content"].append(time.perf_counter() - start)
        for name, render in (
            ("docx", lambda c: docx.render(c, issued=True)),
            ("pdf", lambda c: pdf.render(c, issued=True)),
            ("xlsx", xlsx.render),
        ):
            begin = time.perf_counter()
            render(content)
            steps[name].append(time.perf_counter() - begin)
        steps["whole"].append(time.perf_counter() - start)
    assert content is not None
    rows = sum(len(table.rows) for table in content.tables())
    result = {f"{name}_s": statistics.median(values) for name, values in steps.items()}
    result["rows"] = rows
    print(f"  bulletin: {result}", flush=True)
    return result


@contextmanager
def _statement_limit(connection: Any, seconds: float) -> Iterator[None]:
    """Cut off any one statement after `seconds` (PostgreSQL's statement_timeout; on SQLite a
    progress handler that interrupts it), so that a page whose plan goes quadratic at this
    size is recorded as such instead of holding up the run."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
        return
    raw = connection.connection
    state = {"deadline": 0.0}

    def started() -> None:
        state["deadline"] = time.monotonic() + seconds

    def progress() -> int:
        return 1 if time.monotonic() > state["deadline"] else 0

    connection.execute_wrappers.append(lambda execute, *args: (started(), execute(*args))[1])
    raw.set_progress_handler(progress, 100_000)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)
        connection.execute_wrappers.pop()


def _get(client: Any, url: str, params: dict[str, Any]) -> tuple[Any, bytes, str]:
    """A request, its body and, if a statement was cut off, why."""
    from django.db import DatabaseError

    try:
        response = client.get(url, params)
        return response, _body(response), ""
    except DatabaseError as error:
        return None, b"", f"{type(error).__name__}: {error}".splitlines()[0]


def _change(project: Any) -> None:
    """A change of the data, as every service records one (its audit event moves the stamp
    the kept figures are read under)."""
    from tiaodu.core import audit
    from tiaodu.core.models import AuditAction

    audit.record(
        actor=None,
        action=AuditAction.UPDATE,
        instance=project,
        changes={"name": [project.name, project.name]},
    )


def _run_refreshes() -> tuple[int, float]:
    """What the request left to refresh, run here: with the cache in the process's memory
    (this run's), what the site's process does once the answer is sent (`stamps.finish`,
    kept out of the request's time here); a shared cache's tasks, as a worker runs them.
    How many, and their time."""
    from django_tasks_db.models import DBTaskResult

    from tiaodu.core import stamps

    queued = list(DBTaskResult.objects.filter(status="READY"))
    begin = time.perf_counter()
    after = stamps.finish()
    for row in queued:
        row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
    DBTaskResult.objects.filter(pk__in=[row.pk for row in queued]).delete()
    return after + len(queued), time.perf_counter() - begin


def pages(
    users: Any,
    repeat: int,
    explain_over: float,
    mode: str = "cold",
    warmed: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """`mode`: "cold", the cache emptied before each request (nothing kept for the reader:
    the first read of the day, or after a restart); "change", a change recorded before each
    request (the page shows what it kept, says so, and a worker computes the new figures:
    those tasks run after the request, timed apart); "cached", nothing changes; "restart",
    nothing changes and the cache is files an earlier process filled (TIAODU_CACHE_DIR),
    as the first reader after a restart meets it: not emptied here; "warm", the same
    cache, each page read once (noted), a change, then the warm round (`stamps.warm`,
    timed into `warmed`) before the timed reads: Monday morning's first readers."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tiaodu.accounts.models import OrgUnit
    from tiaodu.projects.models import Project
    from tiaodu.reporting.models import Report

    first_read = mode == "cold"
    changed = Project.objects.order_by("pk").first()
    if mode == "change":
        # The test client sends request_finished inside its call: the refresh the site's
        # process does after the answer is run after the timed request instead.
        from django.core.signals import request_finished

        request_finished.disconnect(dispatch_uid="tiaodu.core.stamps.finish")

    district = OrgUnit.objects.get(region_code=DISTRICT)
    project_id = (
        Report.objects.filter(project__region=district, period__end__year=YEAR - 1)
        .order_by("project_id")
        .values_list("project_id", flat=True)
        .first()
    )
    reports = Report.objects.filter(project_id=project_id).count()
    client = Client()
    client.force_login(users)
    # The process's own first request (its URLs, templates and translations loaded then),
    # so that each case's first request is the page's: a page reading no kept figure.
    client.get(f"/projects/{project_id}/")
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("home page", "/", {}),
        ("library, first page", "/projects/", {"year": YEAR}),
        (f"project page ({reports} reports)", f"/projects/{project_id}/", {}),
        ("project page, reports tab", f"/projects/{project_id}/", {"tab": "reports"}),
        ("statistics page", "/analytics/", {}),
        ("dashboard", "/dashboard/", {}),
        (
            "export xlsx, one district",
            "/projects/export.xlsx",
            {"year": YEAR, "region": district.pk},
        ),
    ]
    if mode == "warm":
        from tiaodu.core import clock, stamps

        for _name, url, params in cases[:-1]:  # last week's reads (not the export)
            _get(client, url, params)
        _change(changed)  # the weekend's rounds
        begin = time.perf_counter()
        done = stamps.warm(clock.today())
        seconds = time.perf_counter() - begin
        print(f"  warm round: {done.computed} values computed in {seconds:.1f} s", flush=True)
        if warmed is not None:
            warmed.update(computed=done.computed, failed=done.failed, seconds=seconds)
    results = []
    for name, url, params in cases:
        timings = []
        first = 0.0
        refreshes: list[float] = []
        stale = 0
        queries = size = 0
        cut_off = ""
        if mode not in ("restart", "warm"):
            cache.clear()
        for index in range(repeat + 1):
            if first_read:
                cache.clear()
            if mode == "change" and index:
                _change(changed)
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                with _statement_limit(connection, STATEMENT_LIMIT_S):
                    response, body, cut_off = _get(client, url, params)
                elapsed = (time.perf_counter() - begin) * 1000
            if cut_off:
                timings.append(elapsed)
                break
            assert response.status_code == 200, (
                name,
                response.status_code,
                response.get("Location"),
            )
            if index:  # the first is the warm-up
                timings.append(elapsed)
                stale += b"data-refreshed-url" in body
            else:
                first = elapsed
            queries, size = len(captured.captured_queries), len(body)
            if mode == "change":
                count, seconds = _run_refreshes()
                if index and count:
                    refreshes.append(seconds * 1000)
            if index and elapsed > SLOW_PAGE_MS and len(timings) >= 3:
                break  # a page this slow is measured fewer times
        if cut_off:
            print(f"  {name}: a statement was cut off after {STATEMENT_LIMIT_S} s", flush=True)
            slowest = max(
                captured.captured_queries, key=lambda q: float(q["time"]), default={"sql": ""}
            )
            results.append(
                {
                    "case": name,
                    "cut_off": cut_off,
                    "median_ms": timings[0],
                    "p95_ms": timings[0],
                    "queries": len(captured.captured_queries),
                    "bytes": 0,
                    "goal_ms": EXPORT_GOAL_MS if url.endswith(".xlsx") else PAGE_GOAL_MS,
                    "runs": 0,
                    "slowest": [
                        {
                            "ms": float("nan"),
                            "sql": slowest["sql"],
                            "plan": _explain(connection, slowest["sql"], analyse=False),
                        }
                    ],
                    "sql_ms": float("nan"),
                }
            )
            continue
        result: dict[str, Any] = {
            "case": name,
            "median_ms": statistics.median(timings),
            "p95_ms": _p95(timings),
            "queries": queries,
            "bytes": size,
            "runs": len(timings),
            "stale": stale,
            "refresh_ms": statistics.median(refreshes) if refreshes else None,
            # The process's first request of the page (its templates and code loaded then).
            "first_ms": first,
        }
        if url.endswith(".xlsx"):
            import io

            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(body), read_only=True).active
            # The data rows: those below the header that name a project.
            result["rows"] = (
                sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if any(row))
                if sheet is not None
                else 0
            )
        goal = EXPORT_GOAL_MS if url.endswith(".xlsx") else PAGE_GOAL_MS
        result["goal_ms"] = goal
        print(
            f"  {name}: median {result['median_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
            f"{queries} queries, {stale} of {len(timings)} showing kept figures, refresh "
            f"{result['refresh_ms'] or 0:.0f} ms, first request {first:.0f} ms",
            flush=True,
        )
        if result["median_ms"] > explain_over and mode != "change":
            with (
                CaptureQueriesContext(connection) as captured,
                _statement_limit(connection, STATEMENT_LIMIT_S),
            ):
                if first_read:
                    cache.clear()
                _get(client, url, params)
            selects = [
                q
                for q in captured.captured_queries
                if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
            ]
            total = sum(float(q["time"]) for q in captured.captured_queries)
            slowest = sorted(selects, key=lambda q: float(q["time"]), reverse=True)[:SLOWEST]
            result["sql_ms"] = total * 1000
            result["slowest"] = [
                {
                    "ms": float(q["time"]) * 1000,
                    "sql": q["sql"],
                    "plan": _explain(connection, q["sql"]),
                }
                for q in slowest
            ]
        results.append(result)
    return results


def case(
    database_url: str,
    size: int,
    repeat: int,
    function_repeat: int,
    explain_over: float,
    mode: str = "cold",
    reuse: bool = False,
) -> dict[str, Any]:
    # The caches on, as a site has them (set before Django reads its settings); without
    # --cached, emptied before each request (`pages`).
    seconds = "300"
    os.environ["TIAODU_FIGURES_CACHE_SECONDS"] = seconds
    os.environ["TIAODU_DASHBOARD_CACHE_SECONDS"] = seconds
    # The export is timed as written in the request (from TIAODU_EXPORT_BACKGROUND_ROWS rows
    # on, the site writes it the same way in a background task).
    os.environ["TIAODU_EXPORT_BACKGROUND_ROWS"] = str(10**9)
    from bench.ledger_and_figures import _django

    _django(database_url, flush=not reuse)
    from django.conf import settings
    from django.db import connection

    from tiaodu.accounts.models import User
    from tiaodu.core import clock

    settings.ALLOWED_HOSTS = ["testserver"]
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    settings.TIAODU_FIGURES_CACHE_SECONDS = int(seconds)
    settings.TIAODU_DASHBOARD_CACHE_SECONDS = int(seconds)
    # Signed in with a password, as the tests are (the dispatcher's second factor is not timed).
    settings.TIAODU_SECURITY = {**settings.TIAODU_SECURITY, "TOTP_REQUIRED_ROLES": frozenset()}
    from tiaodu.projects.models import Project

    if reuse and Project.objects.exists():
        result: dict[str, Any] = {"fill": {"reused": Project.objects.count()}}
    else:
        result = {"fill": fill(size)}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
        )
        result["server"] = cursor.fetchone()[0]
    city = User.objects.get(username="city")
    result["mode"] = mode
    with clock.frozen(TODAY):
        if mode == "cold":  # the cards and the bulletin compute; the others read pages only
            result["cards"] = cards(function_repeat)
            result["bulletin"] = bulletin(function_repeat)
        warmed: dict[str, Any] = {}
        result["pages"] = pages(city, repeat, explain_over, mode=mode, warmed=warmed)
        if warmed:
            result["warmed"] = warmed
    return result


def _machine() -> dict[str, str]:
    found = {"cpu": "unknown CPU", "cores": str(os.cpu_count()), "ram": "?"}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in lscpu.splitlines():
            if line.startswith("Model name:"):
                found["cpu"] = line.split(":", 1)[1].strip()
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                found["ram"] = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return found


def _child(script: str, args: list[str]) -> dict[str, Any]:
    """Run the case in a child process, echoing its progress; its RESULT line."""
    process = subprocess.Popen(
        [sys.executable, script, *args], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    assert process.stdout is not None
    result = None
    for line in process.stdout:
        if line.startswith("RESULT\t"):
            result = json.loads(line.split("\t", 1)[1])
        else:
            sys.stdout.write(line)
            sys.stdout.flush()
    if process.wait() != 0 or result is None:
        raise SystemExit(process.returncode or 1)
    return result


MODES = {
    "cold": "Nothing kept: caches on (300 s) and emptied before each request (outside the"
    " time), as the first read of a scope in a day, or after a restart, finds them.",
    "change": "The first read after a change: a change recorded (an audit event of an update,"
    " as every service writes) before each request; the page shows the figures it kept and"
    " says when they are of, and the refresh tasks it queued run after the request, as a"
    " worker runs them (their time in the last column).",
    "cached": "Caches on (300 s; `--cached`): each page's warm-up request fills them and the"
    " timed requests read them, as every reader but the first after a change does; the cards"
    " and the bulletin are not run.",
    "warm": "Monday morning (`--after-warm`): the cache is files (TIAODU_CACHE_DIR); each"
    " page was read once (last week's reads, noted), then a change, then the warm round"
    " (`stamps.warm`, timed below) computed what was read; the timed requests are the"
    " morning's reads, the first of each its first request (the cards and the bulletin are"
    " not run).",
    "restart": "After a restart (`--after-restart`): the cache is files (TIAODU_CACHE_DIR),"
    " filled by an earlier process that read each page once; a new process reads them, as"
    " the first reader after a restart or a deployment does, and every app server's worker"
    " (they share the folder); the cards and the bulletin are not run.",
}


def _met(value: float, goal: float) -> str:
    return "met" if value <= goal else "**not met**"


def report(found: list[tuple[str, dict[str, Any]]], size: int, started: datetime) -> str:
    import django

    machine = _machine()
    load = os.getloadavg()
    lines = [
        f"### {started:%Y-%m-%d %H:%M} UTC · {size:,} projects · {machine['cpu']}, "
        f"{machine['cores']} cores, {machine['ram']} · Python {platform.python_version()}, "
        f"Django {django.get_version()}, "
        + ", ".join(f"{label} {r['server']}" for label, r in found)
        + f" · load average at the end {load[0]:.1f}",
        "",
        MODES[found[0][1].get("mode", "cold") if found else "cold"],
        "",
    ]
    for label, r in found:
        fill_ = r["fill"]
        if "warmed" in r:
            w = r["warmed"]
            lines.append(
                f"- {label} warm round: {w['computed']} kept values computed "
                f"({w['failed']} failed) in {w['seconds']:.1f} s"
            )
        if "reused" in fill_:
            lines.append(
                f"- {label}: the database of an earlier run ({fill_['reused']:,} projects)"
            )
            continue
        lines.append(
            f"- {label} fill: build {fill_['build_s']:.0f} s, enrich {fill_['enrich_s']:.0f} s, "
            f"activity {fill_['activity_s']:.0f} s, ANALYZE {fill_['analyze_s']:.0f} s; "
            + ", ".join(f"{count:,} {name}" for name, count in fill_["counts"].items())
        )
    lines += [
        "",
        "| database | case | median | p95 | queries | size | goal | |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    for label, r in found:
        for page in r["pages"]:
            extra = f" ({page['rows']:,} rows)" if "rows" in page else ""
            if page.get("cut_off"):
                lines.append(
                    f"| {label} | {page['case']} | > {STATEMENT_LIMIT_S:.0f} s (a statement cut "
                    f"off) | | | | ≤ {page['goal_ms']:,.0f} ms | **not met** |"
                )
                continue
            if page["runs"] < 7:
                extra += f" ({page['runs']} requests)"
            if r.get("mode") in ("restart", "warm") and page.get("first_ms") is not None:
                extra += f"; the new process's first request {page['first_ms']:,.0f} ms"
            if r.get("mode") == "change" and page.get("refresh_ms") is not None:
                extra += (
                    f"; kept figures shown {page['stale']} of {page['runs']}, the worker's"
                    f" refresh {page['refresh_ms']:,.0f} ms"
                )
            lines.append(
                f"| {label} | {page['case']} | {page['median_ms']:,.0f} ms | "
                f"{page['p95_ms']:,.0f} ms | {page['queries']} | {page['bytes']:,} B{extra} | "
                f"≤ {page['goal_ms']:,.0f} ms | {_met(page['median_ms'], page['goal_ms'])} |"
            )
        if r.get("mode") != "cold":
            continue
        c = r["cards"]
        colours = " / ".join(f"{c['colours'].get(k, 0):,}" for k in ("blue", "yellow", "red"))
        lines.append(
            f"| {label} | cards, first computation ({c['cards']:,}: {colours}) | "
            f"{c['first_s']:.1f} s | | {c['first_queries']} | | ≤ 20 s | "
            f"{_met(c['first_s'], CARDS_GOAL_S)} |"
        )
        if c["again_s"] is not None:
            lines.append(
                f"| {label} | cards, again (nothing changes) | {c['again_s']:.1f} s | "
                f"{c['again_max_s']:.1f} s (max) | | | ≤ 20 s | {_met(c['again_s'], CARDS_GOAL_S)} |"
            )
        b = r["bulletin"]
        lines.append(
            f"| {label} | bulletin, whole ({b['rows']:,} list rows: content {b['content_s']:.1f} s, "
            f".docx {b['docx_s']:.1f} s, .pdf {b['pdf_s']:.1f} s, .xlsx {b['xlsx_s']:.1f} s) | "
            f"{b['whole_s']:.1f} s | | | | (≤ 10 s at 20,000) | |"
        )
    lines.append("")
    for label, r in found:
        for page in r["pages"]:
            if not page.get("slowest"):
                continue
            lines += [
                f"#### {label}, {page['case']}: slowest queries "
                f"(SQL {page['sql_ms']:.0f} ms of the captured request)",
                "",
            ]
            for query in page["slowest"]:
                lines += [
                    f"{query['ms']:.0f} ms:",
                    "",
                    "```sql",
                    query["sql"][:4000],
                    "```",
                    "",
                    "```",
                    query["plan"],
                    "```",
                    "",
                ]
    return "\n".join(lines) + "\n"


@contextmanager
def _scratch(keep: bool, postgres: bool, reuse: bool = False) -> Iterator[Databases]:
    if not keep and not reuse:
        with databases("pages", postgres) as found:
            yield found
        return
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("pages.sqlite3*") if not reuse else ():  # with its -wal, -shm
        stale.unlink()
    yield Databases("pages", str(folder), postgres)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--function-repeat", type=int, default=2)
    parser.add_argument("--no-postgres", action="store_true")
    # The pages whose median is over this many ms get their slowest queries explained.
    parser.add_argument("--explain-over", type=float, default=PAGE_GOAL_MS)
    # Keep the filled databases (var/bench/pages.sqlite3 and the PostgreSQL database) for
    # looking at plans afterwards; dropped by the next run.
    parser.add_argument("--keep", action="store_true")
    # The pages with the figure set's and the dashboard's caches on (the cards and the
    # bulletin are then not run): what every reader but the first after a change meets.
    parser.add_argument("--cached", action="store_true")
    # A change recorded before each request instead of the caches emptied: the page shows the
    # figures it kept and a worker computes the new ones (run after the request, timed apart).
    parser.add_argument("--after-change", action="store_true")
    # With --keep: a filled SQLite database left by an earlier --keep run is used as it is.
    parser.add_argument("--reuse", action="store_true")
    # The cache in files (TIAODU_CACHE_DIR, a scratch folder): a first process reads each
    # page once, then a second one is timed reading what the first kept.
    parser.add_argument("--after-restart", action="store_true")
    # The cache in files; each page read once, a change, then the warm round, timed; then
    # the morning's reads.
    parser.add_argument("--after-warm", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = case(
            args.child,
            args.size,
            args.repeat,
            args.function_repeat,
            args.explain_over,
            "warm"
            if args.after_warm
            else "restart"
            if args.after_restart
            else "cached"
            if args.cached
            else "change"
            if args.after_change
            else "cold",
            args.reuse,
        )
        print("RESULT\t" + json.dumps(result, default=str), flush=True)
        return 0
    started = datetime.now(UTC)
    found: list[tuple[str, dict[str, Any]]] = []
    cache_folder = tempfile.TemporaryDirectory(prefix="tiaodu-bench-cache-")
    with cache_folder, _scratch(args.keep, not args.no_postgres, args.reuse) as scratch:
        for label, url in scratch.labels():
            if args.after_restart or args.after_warm:
                # A folder per database: a site's cache is its own (the keys name readers
                # by their ids, which both databases share).
                os.environ["TIAODU_CACHE_DIR"] = str(Path(cache_folder.name) / label)
            if not args.reuse or not scratch.exists(label):
                scratch.fresh(label)
            print(f"pages, {label}, {args.size:,} projects", flush=True)
            child = [
                "--child",
                url,
                "--size",
                str(args.size),
                "--repeat",
                str(args.repeat),
                "--function-repeat",
                str(args.function_repeat),
                "--explain-over",
                str(args.explain_over),
                *(["--cached"] if args.cached else []),
                *(["--after-change"] if args.after_change else []),
                *(["--after-restart"] if args.after_restart else []),
                *(["--after-warm"] if args.after_warm else []),
            ]
            if args.after_restart:
                # The process before the restart: it fills the database if needed (then
                # reused) and keeps each page's figures in the folder; not recorded.
                print("  before the restart (fills the cache in files; not recorded)", flush=True)
                _child(__file__, [*child, *(["--reuse"] if args.reuse else [])])
                child.append("--reuse")
                print("  after the restart", flush=True)
            elif args.reuse:
                child.append("--reuse")
            found.append((label, _child(__file__, child)))
            # Kept at once: a later database's failure loses nothing measured.
            results = ROOT / "bench" / "results"
            results.mkdir(parents=True, exist_ok=True)
            (results / f"pages-{label}-{started:%Y%m%dT%H%M}.json").write_text(
                json.dumps(found[-1][1], default=str, ensure_ascii=False, indent=1)
            )
    text = report(found, args.size, started)
    print()
    print(text)
    record(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

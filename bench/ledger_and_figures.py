"""The ledger import and the figure set at a province's scale, each beside a bare baseline.

(a) Import: a ledger of N rows in the standard template (Qingdao's districts, 200 owner
    units) through `plan_import` + `apply_import` into an empty SQLite database, beside
    reading the same file with bare openpyxl in read-only mode (every cell). Reports both
    times, the ratio, and the import's peak memory: tracemalloc's peak (a second, traced
    run in its own process, so that tracing does not slow the timed one) and ru_maxrss of
    the timed process.
(b) Figures: `figure_set` for the city dispatcher, every breakdown, over N projects, on
    SQLite and on PostgreSQL, beside DuckDB computing every figure of the totals and of the
    four breakdowns from the same rows (the plan entries with their projects' fields, the
    regions and the list memberships, exported with values_list queries into CSV files and
    loaded into an in-memory DuckDB; one GROUPING SETS query and one for the lists). Every
    figure of DuckDB's set is asserted equal to figure_set's. Medians of `--repeat` runs.

Every case runs in a child process with a fresh database. Results are printed and appended
to bench/results/<date>.md (not committed).

Usage: python bench/ledger_and_figures.py [--sizes 20000] [--repeat 5] [--no-postgres]
"""

import argparse
import csv
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PG_URL, machine, record  # noqa: E402

YEAR = 2026
AS_OF = date(YEAR, 9, 30)
CENT = Decimal("0.01")
PG_DB = ["-h", "127.0.0.1", "-U", "postgres"]


def _django(database_url: str, flush: bool = True) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if flush and connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def _city_dispatcher() -> Any:
    from tiaodu.accounts import org_units
    from tiaodu.accounts import services as account_services
    from tiaodu.core.roles import Role

    city, _created, _renamed = org_units.setup_regions(actor=None, region_code="370200")
    user = account_services.create_user(actor=None, username="city", password="Bench#2026pass")
    account_services.assign_role(actor=None, user=user, role=Role.DISPATCHER, org_unit=city)
    return user


# ------------------------------------------------------------------------------ (a) import


def write_ledger(path: Path, rows: int, seed: int = 7, only: tuple[str, ...] | None = None) -> None:
    """A ledger of `rows` new projects in the standard template, as a district would fill
    it; `only`: the ids of the columns to write (by default every column of the template)."""
    from openpyxl import Workbook

    from bench.scale import WORDS
    from tiaodu.accounts.choices import OrgUnitKind
    from tiaodu.accounts.models import OrgUnit
    from tiaodu.projects.choices import (
        AnnualPlanLevel,
        AnnualPlanNature,
        ProjectCategory,
        ReserveStage,
    )
    from tiaodu.projects.ledger.cells import VOCABULARIES, chinese_labels
    from tiaodu.projects.ledger.columns import COLUMNS, Kind

    rng = random.Random(seed)
    labels = {kind: chinese_labels(choices) for kind, choices in VOCABULARIES.items()}
    counties = list(
        OrgUnit.objects.filter(parent__region_code="370200", kind=OrgUnitKind.COUNTY).order_by(
            "region_code"
        )
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="台账")
    columns = [column for column in COLUMNS if only is None or column.id in only]
    sheet.append([column.header for column in columns])
    for index in range(rows):
        county = counties[index % len(counties)]
        nature = rng.choice(AnnualPlanNature.values)
        total = Decimal(rng.randint(10_000, 3_000_000))
        planned = (total * Decimal("0.2")).quantize(CENT)
        start = date(YEAR, rng.randint(1, 12), 1) if nature != AnnualPlanNature.RESERVE else None
        values: dict[str, Any] = {
            "sequence": index + 1,
            "name": f"{county.name}{WORDS[index % len(WORDS)]}{index:05d}",
            "region": county.name,
            "level": labels[Kind.LEVEL][rng.choice(AnnualPlanLevel.values)],
            "nature": labels[Kind.NATURE][nature],
            "reserve_stage": labels[Kind.RESERVE_STAGE][rng.choice(ReserveStage.values)]
            if nature == AnnualPlanNature.RESERVE
            else None,
            "category": labels[Kind.CATEGORY][rng.choice(ProjectCategory.values)],
            "construction_content": "新建厂房及配套设施",
            "total_investment": total,
            "planned_investment": planned,
            "ytd_completed": (planned * Decimal(rng.randint(0, 100)) / 100).quantize(CENT)
            if start
            else None,
            "planned_start": start,
            "planned_completion": date(YEAR + rng.randint(0, 2), 12, 31),
            "owner_unit": f"基准业主单位{index % 200:03d}",
            "contact_name": "王工",
            "contact_phone": "0532-8888" + f"{index % 10000:04d}",
        }
        sheet.append([values.get(column.id) for column in columns])
    workbook.save(path)


def import_case(database_url: str, size: int, path: Path, traced: bool) -> dict[str, float]:
    _django(database_url)
    from tiaodu.projects.ledger import jobs
    from tiaodu.projects.ledger.importer import apply_import, plan_import
    from tiaodu.projects.models import LedgerImport, LedgerImportRow, Project

    user = _city_dispatcher()
    if not path.exists():
        write_ledger(path, size)
    results: dict[str, float] = {}
    if traced:
        tracemalloc.start()
    begin = time.perf_counter()
    plan = plan_import(actor=user, source=path, year=YEAR, as_of=AS_OF)
    assert not plan.errors, plan.errors[:5]
    apply_import(actor=user, plan=plan)
    results["import_s"] = time.perf_counter() - begin
    if traced:
        results["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    assert Project.objects.count() == size
    # The import page's preview: every row's result and changed fields, stored by the check.
    item = LedgerImport.objects.create(uploaded_by=user, file_path=str(path), year=YEAR)
    begin = time.perf_counter()
    jobs.record_rows(item, plan)
    results["preview_rows_s"] = time.perf_counter() - begin
    assert LedgerImportRow.objects.filter(ledger_import=item).count() == size
    results["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return results


def read_case(path: Path) -> dict[str, float]:
    """Bare openpyxl, read-only mode, every cell: in a process of its own, without Django."""
    from openpyxl import load_workbook

    begin = time.perf_counter()
    workbook = load_workbook(path, read_only=True)
    cells = 0
    for row in workbook.worksheets[0].iter_rows(values_only=True):
        for _value in row:
            cells += 1
    workbook.close()
    return {"openpyxl_s": time.perf_counter() - begin, "cells": cells}


# ----------------------------------------------------------------------------- (b) figures


def enrich(seed: int = 11) -> None:
    """Give the scale data the dates and amounts that the figures count (scale.py leaves
    them blank): starts, statistics inclusions, completions, planned completions and a
    year-to-date figure, so that no figure of the comparison is trivially zero."""
    from tiaodu.projects.models import AnnualPlan, Project

    rng = random.Random(seed)
    projects = list(Project.objects.order_by("id").only("id"))
    for project in projects:
        project.actual_start = project.statistics_inclusion = project.actual_completion = None
        if rng.random() < 0.6:
            project.actual_start = date(YEAR - rng.randint(0, 1), rng.randint(1, 12), 1)
            if rng.random() < 0.7:
                project.statistics_inclusion = date(
                    project.actual_start.year, project.actual_start.month, 15
                )
            if rng.random() < 0.3:
                project.actual_completion = (
                    date(YEAR, rng.randint(project.actual_start.month, 12), 20)
                    if project.actual_start.year == YEAR
                    else date(YEAR, rng.randint(1, 12), 20)
                )
    Project.objects.bulk_update(
        projects, ["actual_start", "statistics_inclusion", "actual_completion"], batch_size=1000
    )
    plans = list(
        AnnualPlan.objects.filter(year=YEAR).order_by("id").only("id", "planned_investment")
    )
    for plan in plans:
        plan.planned_completion = (
            date(YEAR + rng.randint(0, 1), rng.randint(1, 12), 28) if rng.random() < 0.8 else None
        )
        plan.ytd_completed = (
            plan.planned_investment * Decimal(rng.randint(0, 120)) / 100
        ).quantize(CENT)
        plan.ytd_as_of = date(YEAR, rng.randint(1, 12), 28)
    AnnualPlan.objects.bulk_update(
        plans, ["planned_completion", "ytd_completed", "ytd_as_of"], batch_size=1000
    )


PLAN_COLUMNS = (
    ("id", "BIGINT", "id"),
    ("level", "VARCHAR", "level"),
    ("nature", "VARCHAR", "nature"),
    ("reserve_stage", "VARCHAR", "reserve_stage"),
    ("planned_investment", "DECIMAL(18,2)", "planned_investment"),
    ("planned_start", "DATE", "planned_start"),
    ("planned_completion", "DATE", "planned_completion"),
    ("ytd_completed", "DECIMAL(18,2)", "ytd_completed"),
    ("ytd_as_of", "DATE", "ytd_as_of"),
    ("total_investment", "DECIMAL(18,2)", "project__total_investment"),
    ("category", "VARCHAR", "project__category"),
    ("actual_start", "DATE", "project__actual_start"),
    ("statistics_inclusion", "DATE", "project__statistics_inclusion"),
    ("actual_completion", "DATE", "project__actual_completion"),
    ("region_path", "VARCHAR", "project__region__path"),
)


def _csv(path: Path, header: list[str], rows: Any) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def duckdb_load(scratch: Path, city: Any) -> Any:
    """The scope's rows out of the Django database into an in-memory DuckDB, via CSV: the
    plan entries with their projects' fields, the city's regions, the list memberships."""
    import duckdb

    from tiaodu.accounts.models import OrgUnit
    from tiaodu.analytics.figures import region_key
    from tiaodu.projects.models import AnnualPlan, ListMembership

    rows = AnnualPlan.objects.filter(year=YEAR, project__region__path__startswith=city.path)
    _csv(
        scratch / "plans.csv",
        [name for name, _type, _field in PLAN_COLUMNS],
        rows.values_list(*(field for _n, _t, field in PLAN_COLUMNS)),
    )
    _csv(
        scratch / "regions.csv",
        ["id", "key"],
        [(unit.pk, region_key(unit)) for unit in OrgUnit.objects.regions().filter(parent=city)],
    )
    _csv(
        scratch / "memberships.csv",
        ["plan_id", "list_name"],
        ListMembership.objects.filter(annual_plan__in=rows).values_list(
            "annual_plan_id", "key_project_list__name"
        ),
    )
    con = duckdb.connect()
    types = ", ".join(f"'{name}': '{kind}'" for name, kind, _f in PLAN_COLUMNS)
    tables = {
        "plans": f"{{{types}}}",
        "regions": "{'id': 'VARCHAR', 'key': 'VARCHAR'}",
        "memberships": "{'plan_id': 'BIGINT', 'list_name': 'VARCHAR'}",
    }
    for table, columns in tables.items():
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv('{scratch / table}.csv', "
            f"header=true, columns={columns}, nullstr='')"
        )
    # The city's key, and where its children's ids sit in a path ('/1/5/77/': 1-based part 3).
    con.execute(
        f"CREATE TABLE city AS SELECT '{region_key(city)}' AS key, {city.depth + 3} AS part"
    )
    return con


def duckdb_figures(con: Any) -> dict[str, Any]:
    """Every figure of every breakdown, as DuckDB computes them from the same rows, shaped
    into the JSON form by figure_set's own shaping (rates and money formats)."""
    from tiaodu.analytics.figures import _figures
    from tiaodu.projects.choices import ReserveStage
    from tiaodu.projects.figure_conditions import lagging_margin, progress_fraction, time_progress

    d, jan1, year = f"DATE '{AS_OF}'", f"DATE '{YEAR}-01-01'", YEAR
    ytd = f"CASE WHEN ytd_as_of <= {d} THEN ytd_completed ELSE 0 END"
    started = f"actual_start <= {d}"
    completed = f"actual_completion >= {jan1} AND actual_completion <= {d}"
    not_completed = f"NOT coalesce(actual_completion <= {d}, false)"
    expected = f"year(planned_completion) = {year} AND {not_completed}"
    elapsed, whole = progress_fraction(AS_OF)
    factor = 100 * elapsed - lagging_margin() * whole
    aggregates = {
        "f_projects": "count(*)",
        "f_total_investment": "sum(total_investment)",
        "f_annual_plan": "sum(planned_investment)",
        "f_ytd_completed": f"sum({ytd})",
        "f_new_start_planned": "count(*) FILTER (WHERE nature = 'new_start')",
        "f_new_start_started": f"count(*) FILTER (WHERE nature = 'new_start' AND {started})",
        "f_due": f"count(*) FILTER (WHERE {started})",
        "f_included": f"count(*) FILTER (WHERE {started} AND statistics_inclusion <= {d})",
        "f_new_included": f"count(*) FILTER (WHERE {started} AND statistics_inclusion <= {d} "
        f"AND statistics_inclusion >= DATE '{AS_OF:%Y-%m}-01')",
        "f_completed": f"count(*) FILTER (WHERE {completed})",
        "f_completed_investment": f"sum(total_investment) FILTER (WHERE {completed})",
        "f_expected": f"count(*) FILTER (WHERE {expected})",
        "f_expected_investment": f"sum(total_investment) FILTER (WHERE {expected})",
        "f_reserve": "count(*) FILTER (WHERE nature = 'reserve')",
        "f_should_start": f"count(*) FILTER (WHERE nature = 'new_start' "
        f"AND planned_start <= {d} AND NOT coalesce({started}, false))",
        "f_should_complete": f"count(*) FILTER (WHERE planned_completion <= {d} "
        f"AND {not_completed})",
        "f_lagging": f"count(*) FILTER (WHERE {started} AND planned_investment > 0 "
        f"AND ({ytd}) * {100 * whole} < planned_investment * {factor})",
        # The benchmark's site has no cards: every entry is without one.
        "f_card_none": "count(*)",
        **{
            f"f_stage_{stage}": "count(*) FILTER (WHERE nature = 'reserve' "
            f"AND reserve_stage = '{stage}')"
            for stage in ReserveStage.values
        },
    }
    names = list(aggregates)
    select = ", ".join(f"{expression} AS {name}" for name, expression in aggregates.items())
    progress = time_progress(AS_OF)
    month = AS_OF.replace(day=1)

    def shaped(rows: list[tuple]) -> dict[str, Any]:
        return {
            row[0]: _figures(dict(zip(names, row[1:], strict=True)), progress, month)
            for row in rows
        }

    # Totals, levels, categories and regions in one scan (grouping sets); lists in another.
    grouped = con.execute(
        f"""
        WITH rows AS (
            SELECT plans.*, coalesce(regions.key, city.key) AS region_key
            FROM plans CROSS JOIN city
            LEFT JOIN regions ON regions.id = split_part(plans.region_path, '/', city.part)
        )
        SELECT CASE WHEN grouping(level) = 0 THEN 'level'
                    WHEN grouping(category) = 0 THEN 'category'
                    WHEN grouping(region_key) = 0 THEN 'region' ELSE 'total' END,
               coalesce(level, category, region_key, ''), {select}
        FROM rows GROUP BY GROUPING SETS ((), (level), (category), (region_key))
        """
    ).fetchall()
    parts: dict[str, list[tuple]] = {}
    for row in grouped:
        parts.setdefault(row[0], []).append(row[1:])
    by_list = con.execute(
        f"SELECT list_name, {select} FROM plans JOIN memberships ON memberships.plan_id = plans.id "
        "GROUP BY list_name"
    ).fetchall()
    result = shaped(parts["total"])[""]
    result["by_level"] = shaped(parts.get("level", []))
    result["by_category"] = shaped(parts.get("category", []))
    result["by_region"] = shaped(parts.get("region", []))
    result["by_list"] = shaped(by_list)
    return result


FIGURES = ("projects", "total_investment", "annual_plan", "ytd_completed", "completion_rate",
           "time_progress", "new_start", "in_statistics", "completed", "expected_completion",
           "reserve", "should_start", "should_complete", "lagging")  # fmt: skip


def _compared(figures: dict[str, Any]) -> dict[str, Any]:
    return {key: figures[key] for key in FIGURES}


def assert_equal(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Every figure of the totals and of every breakdown is the same (a group with no
    project, which figure_set lists and DuckDB does not, excepted)."""
    assert _compared(ours) == _compared(theirs), (_compared(ours), _compared(theirs))
    for breakdown in ("by_level", "by_region", "by_category", "by_list"):
        for key, figures in ours[breakdown].items():
            if figures["projects"] == 0 and key not in theirs[breakdown]:
                continue
            assert _compared(figures) == _compared(theirs[breakdown][key]), (breakdown, key)
        assert set(theirs[breakdown]) <= set(ours[breakdown]), breakdown


def figures_case(database_url: str, size: int, repeat: int) -> dict[str, float]:
    _django(database_url)
    from django.db import connection

    from bench.scale import build
    from tiaodu.accounts.models import OrgUnit
    from tiaodu.analytics.figures import figure_set

    users = build(projects=size, year=YEAR)
    enrich()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    city = OrgUnit.objects.get(region_code="370200")
    ours_times, theirs_times = [], []
    ours: dict[str, Any] = {}
    theirs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        begin = time.perf_counter()
        con = duckdb_load(Path(scratch), city)
        load_s = time.perf_counter() - begin
        for _ in range(repeat):
            begin = time.perf_counter()
            ours = figure_set(actor=users["city"], year=YEAR, as_of=AS_OF)
            ours_times.append(time.perf_counter() - begin)
            begin = time.perf_counter()
            theirs = duckdb_figures(con)
            theirs_times.append(time.perf_counter() - begin)
    assert ours["projects"] == size
    assert_equal(ours, theirs)
    return {
        "figure_set_ms": statistics.median(ours_times) * 1000,
        "duckdb_ms": statistics.median(theirs_times) * 1000,
        "duckdb_load_ms": load_s * 1000,
    }


# ---------------------------------------------------------------------------------- driver


def _child(args: list[str]) -> dict[str, float]:
    child = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if child.returncode != 0:
        sys.stderr.write(child.stderr)
        raise SystemExit(child.returncode)
    for line in child.stdout.splitlines():
        if line.startswith("RESULT\t"):
            return {k: float(v) for k, v in (item.split("=") for item in line.split("\t")[1:])}
    raise SystemExit("the child printed no result")


def _fresh_pg() -> None:
    subprocess.run(["dropdb", *PG_DB, "--if-exists", "tiaodu_bench"], check=True)
    subprocess.run(["createdb", *PG_DB, "tiaodu_bench"], check=True)


def run(sizes: list[int], repeat: int, postgres: bool) -> str:
    stamp = datetime.now().astimezone().date().isoformat()
    lines = [f"### {stamp} · {machine()}", ""]
    imports = [
        "| rows | plan_import + apply_import s | bare openpyxl read-only s | ratio "
        "| tracemalloc peak MB | ru_maxrss MB | preview rows stored s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    figures = [
        "| database | projects | figure_set ms | DuckDB ms | ratio | DuckDB load ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            ledger = Path(scratch) / f"ledger-{size}.xlsx"
            runs = {}
            for traced in (False, True):
                db = Path(scratch) / "import.sqlite3"
                db.unlink(missing_ok=True)
                print(f"import, {size} rows{' (traced)' if traced else ''}", flush=True)
                runs[traced] = _child(
                    ["--child", "import", f"sqlite:///{db}", str(size), str(ledger)]
                    + (["--traced"] if traced else [])
                )
            timed, traced_run = runs[False], runs[True]
            print(f"bare openpyxl read, {size} rows", flush=True)
            timed.update(_child(["--child", "read", "-", "0", str(ledger)]))
            imports.append(
                f"| {size:,} | {timed['import_s']:.1f} | {timed['openpyxl_s']:.1f} "
                f"| {timed['import_s'] / timed['openpyxl_s']:.1f}× "
                f"| {traced_run['traced_peak_mb']:.0f} | {timed['maxrss_mb']:.0f} "
                f"| {timed['preview_rows_s']:.1f} |"
            )
        databases = [("SQLite", f"sqlite:///{scratch}/figures.sqlite3")]
        if postgres:
            databases.append(("PostgreSQL", PG_URL))
        for label, url in databases:
            for size in sizes:
                if label == "SQLite":
                    Path(f"{scratch}/figures.sqlite3").unlink(missing_ok=True)
                else:
                    _fresh_pg()
                print(f"figures, {label}, {size} projects", flush=True)
                result = _child(["--child", "figures", url, str(size), "--repeat", str(repeat)])
                figures.append(
                    f"| {label} | {size:,} | {result['figure_set_ms']:.0f} "
                    f"| {result['duckdb_ms']:.1f} "
                    f"| {result['figure_set_ms'] / result['duckdb_ms']:.1f}× "
                    f"| {result['duckdb_load_ms']:.0f} |"
                )
        if postgres:
            subprocess.run(["dropdb", *PG_DB, "--if-exists", "tiaodu_bench"], check=False)
    return "\n".join([*lines, *imports, "", *figures]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, url, size = args.child[0], args.child[1], int(args.child[2])
        if kind == "read":
            result = read_case(Path(args.child[3]))
        elif kind == "import":
            result = import_case(url, size, Path(args.child[3]), args.traced)
        else:
            result = figures_case(url, size, args.repeat)
        print("RESULT\t" + "\t".join(f"{k}={v}" for k, v in result.items()), flush=True)
        return 0
    report = run([int(s) for s in args.sizes.split(",")], args.repeat, not args.no_postgres)
    print()
    print(report)
    record(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The dashboard (/dashboard/) at a province's scale, side by side with a trivial page.

For each database (SQLite, and PostgreSQL unless --no-postgres: `BENCH_DASHBOARD_PG_URL`,
default the local server's `tiaodu_bench_dashboard` database, created and dropped by the
run) and each size (20,000 plan entries by default), in a child process with a fresh
database: the entries of `scale.py` with the dates and amounts of
`ledger_and_figures.enrich`. Signed in as the city dispatcher (the whole city), through
Django's test client (the whole request: middleware, views, templates), it times, each the
median of `--repeat` after one warm-up:

- a trivial page: the notifications list (sign-in, menu, base template, one small query);
- the dashboard as most requests find it: its figures cached under the data's stamp
  (`analytics.dashboard.charts`), so the request reads the stamp and renders;
- the dashboard cold: the cache cleared before each request (the first reader after a
  write: the figure set, the monthly trend, last month's cards);
- the statistics page (the figure set and the charts, never cached), for comparison.

Goal: the dashboard ≤ 2× the trivial page (warm).

Usage: python bench/dashboard.py [--sizes 20000] [--repeat 5] [--no-postgres]
"""

import argparse
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import machine, record  # noqa: E402
from bench.scratch import child, databases, print_result  # noqa: E402

YEAR = 2026
GOAL_RATIO = 2.0
PAGES = ("trivial_s", "warm_s", "cold_s", "statistics_s")


def _median(client: object, url: str, repeat: int, before: object = None) -> float:
    times = []
    for index in range(repeat + 1):
        if callable(before):
            before()
        start = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        if index:  # the first is the warm-up
            times.append(elapsed)
    return statistics.median(times)


def case(database_url: str, size: int, repeat: int) -> dict[str, float]:
    from bench.ledger_and_figures import _django, enrich

    _django(database_url)
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]

    from bench.scale import build
    from tiaodu.analytics import dashboard
    from tiaodu.analytics.figures import default_as_of, resolve_scope
    from tiaodu.core import clock

    begin = time.perf_counter()
    users = build(projects=size, year=YEAR)
    enrich()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  filled {size} entries in {time.perf_counter() - begin:.1f} s", flush=True)
    client = Client()
    client.force_login(users["city"])
    # On 6 December 2026 the figures are as of 30 November.
    with clock.frozen(date(YEAR, 12, 6)):
        result = {
            "trivial_s": _median(client, "/notifications/", repeat),
            "warm_s": _median(client, "/dashboard/", repeat),
            "cold_s": _median(client, "/dashboard/", repeat, before=cache.clear),
            "statistics_s": _median(client, "/analytics/", repeat),
        }
        scope = resolve_scope(actor=users["city"], year=YEAR, as_of=default_as_of(YEAR))
        board = dashboard.charts(users["city"], scope)
        result["entries"] = float(board["figures"]["projects"])
        result["charts"] = float(len(board["charts"]))
    return result


def run(sizes: list[int], repeat: int, postgres: bool) -> str:
    stamp = datetime.now().astimezone().date().isoformat()
    lines = [
        f"### {stamp} · {machine()}",
        "",
        "| database | entries | charts | trivial page ms | dashboard ms (cached) | ratio "
        "| dashboard ms (cold) | ratio | statistics page ms | goal ≤ 2× |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    with databases("dashboard", postgres) as found:
        for label, url in found.labels():
            for size in sizes:
                found.fresh(label)
                print(f"dashboard, {label}, {size} entries", flush=True)
                r = child(__file__, ["--child", url, str(size), "--repeat", str(repeat)])
                warm, cold = r["warm_s"] / r["trivial_s"], r["cold_s"] / r["trivial_s"]
                lines.append(
                    f"| {label} | {int(r['entries']):,} | {int(r['charts'])} "
                    f"| {r['trivial_s'] * 1000:.0f} | {r['warm_s'] * 1000:.0f} | {warm:.2f}× "
                    f"| {r['cold_s'] * 1000:.0f} | {cold:.1f}× | {r['statistics_s'] * 1000:.0f} "
                    f"| {'met' if warm <= GOAL_RATIO else 'MISSED'} |"
                )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="20000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        url, size = args.child
        print_result(case(url, int(size), args.repeat))
        return 0
    report = run([int(s) for s in args.sizes.split(",")], args.repeat, not args.no_postgres)
    print(report)
    record(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Computing the month's cards (`scoring.services.compute_cards`) at a province's scale.

For each database (SQLite, and PostgreSQL unless --no-postgres: `BENCH_CARDS_PG_URL`,
default the local server's `tiaodu_bench_cards` database, created and dropped by the run) and each size
(20,000 plan entries by default), in a child process with a fresh database: the entries of
`scale.py` given starts, inclusions, completions and ledger figures (`ledger_and_figures.
enrich`), reporting cycles by list and level (weekly, ten-day, half-month, monthly), every
period of the year up to November opened, and for each period ending in November reports
from about four in five of the entries it expects (most approved, some with an amount,
some handed in after the lock date), all inserted with `core.bulk.insert`. Then it times,
for November with the clock set to 20 December: the first computation (every card
inserted), a computation that changes nothing (the median of `--repeat`), and the dry run
of the same. The cards' colours are printed so that the data is seen to vary. Goal ≤ 5 s.

Usage: python bench/cards.py [--sizes 20000] [--repeat 3] [--no-postgres]
"""

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import machine, record  # noqa: E402
from bench.scratch import child, databases, print_result  # noqa: E402

YEAR = 2026
MONTH = date(YEAR, 11, 1)
TODAY = date(YEAR, 12, 20)
# A scratch database of its own, so that it never meets another suite's.
GOAL_S = 5.0


def _django(database_url: str) -> None:
    from bench.ledger_and_figures import _django as setup

    setup(database_url)


def fill(size: int, seed: int = 5) -> int:
    """The scale data with facts, cycles, periods and November's reports; the number of
    reports inserted."""
    from django.db import transaction

    from bench.ledger_and_figures import enrich
    from bench.scale import build
    from tiaodu.core import bulk
    from tiaodu.projects.models import AnnualPlan, KeyProjectList
    from tiaodu.reporting import services as reporting_services
    from tiaodu.reporting.choices import Cycle, ReportStatus
    from tiaodu.reporting.models import CycleRule, Report
    from tiaodu.reporting.selectors import expected_plan_ids
    from tiaodu.scoring.facts import month_periods

    rng = random.Random(seed)
    build(projects=size, year=YEAR)
    enrich()
    provincial, municipal = (
        KeyProjectList.objects.get(year=YEAR, name=name) for name in ("省重点项目", "市重点项目")
    )
    CycleRule.objects.create(key_project_list=provincial, cycle=Cycle.WEEKLY)
    CycleRule.objects.create(key_project_list=municipal, cycle=Cycle.HALF_MONTH)
    CycleRule.objects.create(level="provincial", cycle=Cycle.TEN_DAY)
    reporting_services.open_periods(today=date(YEAR, 11, 30))
    projects = dict(AnnualPlan.objects.filter(year=YEAR).values_list("pk", "project_id"))
    reports: list[Report] = []
    for period in month_periods(MONTH):
        for plan_id in sorted(expected_plan_ids(period)):
            roll = rng.random()
            if roll < 0.2:
                continue  # missing
            late = roll > 0.95
            handed = period.lock_date + timedelta(days=2) if late else period.due_date
            moment = datetime(handed.year, handed.month, handed.day, 2, tzinfo=UTC)
            approved = rng.random() < 0.8
            reports.append(
                Report(
                    plan_id=plan_id,
                    project_id=projects[plan_id],
                    period=period,
                    status=ReportStatus.APPROVED if approved else ReportStatus.SUBMITTED,
                    is_current=approved,
                    investment=Decimal(rng.randint(0, 500)) if rng.random() < 0.7 else None,
                    submitted_at=moment,
                )
            )
    with transaction.atomic():
        bulk.insert(Report, reports)
    return len(reports)


def case(database_url: str, size: int, repeat: int) -> dict[str, float]:
    _django(database_url)
    from django.db import connection

    from tiaodu.core import clock
    from tiaodu.scoring import services
    from tiaodu.scoring.models import Card

    begin = time.perf_counter()
    reports = fill(size)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  filled {size} entries, {reports} reports in {time.perf_counter() - begin:.1f} s")
    with clock.frozen(TODAY):
        begin = time.perf_counter()
        first = services.compute_cards(actor=None, month=MONTH, reason="bench")
        first_s = time.perf_counter() - begin
        again_times, dry_times = [], []
        for _ in range(repeat):
            begin = time.perf_counter()
            again = services.compute_cards(actor=None, month=MONTH, reason="bench again")
            again_times.append(time.perf_counter() - begin)
            assert (again.added, again.changed, again.removed) == (0, 0, 0)
            begin = time.perf_counter()
            services.compute_cards(actor=None, month=MONTH, dry_run=True)
            dry_times.append(time.perf_counter() - begin)
    assert Card.objects.filter(month=MONTH).count() == first.cards
    print(f"  {first.cards} cards: {first.colours}", flush=True)
    return {
        "entries": float(size),
        "reports": float(reports),
        "cards": float(first.cards),
        "blue": float(first.colours.get("blue", 0)),
        "yellow": float(first.colours.get("yellow", 0)),
        "red": float(first.colours.get("red", 0)),
        "first_s": first_s,
        "again_s": statistics.median(again_times),
        "dry_s": statistics.median(dry_times),
    }


def run(sizes: list[int], repeat: int, postgres: bool) -> str:
    stamp = datetime.now().astimezone().date().isoformat()
    lines = [
        f"### {stamp} · {machine()}",
        "",
        "| database | entries | reports | cards (blue / yellow / red) | first s | again s "
        "| dry run s | goal ≤ 5 s |",
        "|---|---:|---:|---|---:|---:|---:|---|",
    ]
    with databases("cards", postgres) as found:
        for label, url in found.labels():
            for size in sizes:
                found.fresh(label)
                print(f"cards, {label}, {size} entries", flush=True)
                r = child(__file__, ["--child", url, str(size), "--repeat", str(repeat)])
                worst = max(r["first_s"], r["again_s"])
                lines.append(
                    f"| {label} | {size:,} | {int(r['reports']):,} | {int(r['cards']):,} "
                    f"({int(r['blue']):,} / {int(r['yellow']):,} / {int(r['red']):,}) "
                    f"| {r['first_s']:.2f} | {r['again_s']:.2f} | {r['dry_s']:.2f} "
                    f"| {'met' if worst <= GOAL_S else 'MISSED'} |"
                )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result: dict[str, Any] = case(args.child[0], int(args.child[1]), args.repeat)
        print_result(result)
        return 0
    report = run([int(s) for s in args.sizes.split(",")], args.repeat, not args.no_postgres)
    print()
    print(report)
    record(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

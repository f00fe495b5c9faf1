"""Building the monthly bulletin (`documents.contents.build` and its three files) at a
province's scale.

For each database (SQLite, and PostgreSQL unless --no-postgres: `BENCH_BULLETIN_PG_URL`,
default the local server's `tiaodu_bench_bulletin` database, created and dropped by the run)
and each size (20,000 plan entries by default), in a child process with a fresh database:
the entries of `scale.py` given starts, inclusions, completions and ledger figures
(`ledger_and_figures.enrich`). Then it times, for August over the whole site: the content
(two figure sets and the lists behind the counts), the Word document, the PDF and the
workbook, each the median of `--repeat`, and the whole build. The list lengths are printed
so that the data is seen to be large. Goal: the whole bulletin ≤ 10 s.

Usage: python bench/bulletin.py [--sizes 20000] [--repeat 3] [--no-postgres]
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
MONTH = date(YEAR, 8, 1)
GOAL_S = 10.0
STEPS = ("content_s", "docx_s", "pdf_s", "xlsx_s", "total_s")


def case(database_url: str, size: int, repeat: int) -> dict[str, float]:
    from bench.ledger_and_figures import _django, enrich

    _django(database_url)
    from django.db import connection

    from bench.scale import build
    from tiaodu.analytics.figures import WHOLE_SITE
    from tiaodu.documents import contents, docx, pdf, xlsx

    begin = time.perf_counter()
    build(projects=size, year=YEAR)
    enrich()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  filled {size} entries in {time.perf_counter() - begin:.1f} s", flush=True)
    times: dict[str, list[float]] = {step: [] for step in STEPS}
    for _ in range(repeat):
        start = time.perf_counter()
        content = contents.build(actor=WHOLE_SITE, month=MONTH, number=1)
        times["content_s"].append(time.perf_counter() - start)
        begin = time.perf_counter()
        docx.render(content, issued=True)
        times["docx_s"].append(time.perf_counter() - begin)
        begin = time.perf_counter()
        pdf.render(content, issued=True)
        times["pdf_s"].append(time.perf_counter() - begin)
        begin = time.perf_counter()
        xlsx.render(content)
        times["xlsx_s"].append(time.perf_counter() - begin)
        times["total_s"].append(time.perf_counter() - start)
    rows = {table.key: len(table.rows) for table in content.tables()}
    print(f"  {content.figures['projects']} entries; table rows: {rows}", flush=True)
    result = {step: statistics.median(values) for step, values in times.items()}
    result["entries"] = float(content.figures["projects"])
    result["list_rows"] = float(sum(rows.values()))
    return result


def run(sizes: list[int], repeat: int, postgres: bool) -> str:
    stamp = datetime.now().astimezone().date().isoformat()
    lines = [
        f"### {stamp} · {machine()}",
        "",
        "| database | entries | rows in the workbook | content s | .docx s | .pdf s | .xlsx s "
        "| whole s | goal ≤ 10 s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    with databases("bulletin", postgres) as found:
        for label, url in found.labels():
            for size in sizes:
                found.fresh(label)
                print(f"bulletin, {label}, {size} entries", flush=True)
                r = child(__file__, ["--child", url, str(size), "--repeat", str(repeat)])
                lines.append(
                    f"| {label} | {int(r['entries']):,} | {int(r['list_rows']):,} "
                    + "".join(f"| {r[step]:.2f} " for step in STEPS)
                    + f"| {'met' if r['total_s'] <= GOAL_S else 'MISSED'} |"
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
        url, size = args.child
        result = case(url, int(size), args.repeat)
        print_result(result)
        return 0
    report = run([int(s) for s in args.sizes.split(",")], args.repeat, not args.no_postgres)
    print(report)
    record(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

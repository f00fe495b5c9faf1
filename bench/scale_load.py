"""The load at a province's scale through nginx (issue 16): `scripts/multi_server.sh
--scale N` (make bench-load), with the environment the script sets (DATABASE_URL on the
primary, DATABASE_REPLICA_URL, REDIS_URL, two gunicorns behind nginx).

    fill     N projects on the primary, as bench/pages.py fills its database:
             `scale.build`, `ledger_and_figures.enrich`, `scale.activity` (two years of
             monthly reports for a tenth of the entries, problems, notices), then ANALYZE.
             The replica receives them by streaming.
    measure  through nginx, signed in as the city's dispatcher (the whole city), in one run:
             1. the dashboard's first read after a change (a project renamed through its
                service, which moves the data's stamp) and the read after it, `--cold`
                times each;
             2. wrk alone, `--connections` connections, `--rounds` rounds of `--seconds`
                on each page by turns: a trivial signed-in page (the notifications list:
                the menu, the base template, one small query) and the dashboard as most
                reads find it (its figures cached in Redis under the data's stamp, shared
                by both servers);
             3. the deadline burst (bench/deadline_burst.py's city, made by
                `multi_server_load.py setup`): `--clients` reporters submit their reports
                through the API, one in ten twice; at the same time a thread of this
                client requests the trivial page every 50 ms (the submits' baseline,
                measured by the same client under the same load) and wrk reads the
                dashboard on `--burst-readers` connections (each submit changes the data,
                so these reads find no cached figures).
             Then the database: each of the burst's reports submitted once (lost), no
             second report for a project and period nor a second submit event
             (duplicated). Prints a Markdown table, appends it to bench/results/<date>.md
             and exits 0 unless a report was lost or duplicated or a request failed.

Goals (issue 16): 0 lost, 0 duplicated; the submit's p95 ≤ 2× the trivial page's p95
under the same load; the dashboard's throughput ≥ 50% of the trivial page's.
"""

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.multi_server_load import Stats, _percentile, submitter  # noqa: E402
from bench.run import machine, record  # noqa: E402

SUBMIT_RATIO_GOAL = 2.0
THROUGHPUT_SHARE_GOAL = 0.5
TRIVIAL = "/notifications/"
DASHBOARD = "/dashboard/"

# wrk's report, one line of JSON (latencies in microseconds).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, '
    .. '"p50": %d, "p95": %d, "p99": %d, "max": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    django.setup()


# ------------------------------------------------------------------------------ fill


def fill(projects: int) -> None:
    _django()
    from django.db import connection
    from django.utils import timezone

    from bench.ledger_and_figures import YEAR, enrich
    from bench.scale import activity, build

    today = min(timezone.localdate(), date(YEAR, 12, 31))
    begin = time.perf_counter()
    build(projects=projects, year=YEAR)
    print(f"  build: {time.perf_counter() - begin:.0f} s", flush=True)
    begin = time.perf_counter()
    enrich()
    print(f"  enrich: {time.perf_counter() - begin:.0f} s", flush=True)
    begin = time.perf_counter()
    counts = activity(year=YEAR, today=today)
    print(f"  activity: {time.perf_counter() - begin:.0f} s, {counts}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# ------------------------------------------------------------------------------ requests


def _get(base: str, path: str, cookie: str) -> tuple[int, float]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=120)
    begin = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie})
    answer = connection.getresponse()
    answer.read()
    elapsed = (time.perf_counter() - begin) * 1000
    connection.close()
    return answer.status, elapsed


def _wrk_command(
    args: argparse.Namespace, path: str, cookie: str, connections: int, seconds: int
) -> list[str]:
    script = Path(args.work) / "report.lua"
    script.write_text(WRK_SCRIPT)
    threads = min(2, connections)
    return [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s",
        "-H", f"Cookie: {cookie}", "-s", str(script), f"{args.base_url}{path}",
    ]  # fmt: skip


def _wrk_result(output: str) -> dict[str, float]:
    line = next(line for line in output.splitlines() if line.startswith("WRK "))
    found = json.loads(line[4:])
    seconds = found["duration_us"] / 1e6
    return {
        "requests": found["requests"],
        "seconds": seconds,
        "rps": found["requests"] / seconds if seconds else 0.0,
        "failed": found["errors"] + found["non2xx"],
        "p50": found["p50"] / 1000,
        "p95": found["p95"] / 1000,
        "p99": found["p99"] / 1000,
    }


def wrk(args: argparse.Namespace, path: str, cookie: str) -> dict[str, float]:
    command = _wrk_command(args, path, cookie, args.connections, args.seconds)
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return _wrk_result(done.stdout)


def alone(args: argparse.Namespace, cookie: str) -> dict[str, dict[str, Any]]:
    """The trivial page and the dashboard by turns, `--rounds` times: the other work of the
    machine weighs on both alike. Requests/s over all rounds; latencies the median of the
    rounds'; each round's ratio of the dashboard's requests/s to the trivial page's."""
    runs: dict[str, list[dict[str, float]]] = {TRIVIAL: [], DASHBOARD: []}
    for number in range(args.rounds):
        for path, found in runs.items():
            print(f"  round {number + 1}/{args.rounds}: {path}", flush=True)
            found.append(wrk(args, path, cookie))
    result: dict[str, dict[str, Any]] = {}
    for path, found in runs.items():
        result[path] = {
            "rps": sum(r["requests"] for r in found) / sum(r["seconds"] for r in found),
            "failed": sum(r["failed"] for r in found),
            **{p: statistics.median(r[p] for r in found) for p in ("p50", "p95", "p99")},
        }
    result[DASHBOARD]["rounds"] = [
        board["rps"] / trivial["rps"] for trivial, board in zip(*runs.values(), strict=True)
    ]
    return result


def _paced_reader(base: str, cookie: str, found: list[float], failed: list[str], stop: Any) -> None:
    while not stop.is_set():
        status, elapsed = _get(base, TRIVIAL, cookie)
        if status == 200:
            found.append(elapsed)
        else:
            failed.append(f"{TRIVIAL}: {status}")
        time.sleep(0.05)


# ------------------------------------------------------------------------------ measure


def _first_reads(args: argparse.Namespace, cookie: str, dispatcher: Any) -> dict[str, Any]:
    """The dashboard's read after a change (the figures computed) and the one after it."""
    from tiaodu.projects import services as projects
    from tiaodu.projects.models import Project

    project = Project.objects.order_by("pk").first()
    cold, warm = [], []
    for number in range(args.cold):
        assert project is not None
        projects.update_project(
            actor=dispatcher, project=project, name=f"{project.name[:60]}·{number}"
        )
        time.sleep(1)  # the replica replays the change (well under a second here)
        for into in (cold, warm):
            status, elapsed = _get(args.base_url, DASHBOARD, cookie)
            if status != 200:
                raise SystemExit(f"{DASHBOARD} answered {status}")
            into.append(elapsed)
    return {"cold": cold, "warm": warm}


def _burst(args: argparse.Namespace, plan: dict, cookie: str) -> dict[str, Any]:
    stats = Stats()
    start = threading.Barrier(len(plan["clients"]) + 1)
    clients = [
        threading.Thread(target=submitter, args=(args.base_url, spec, stats, start))
        for spec in plan["clients"]
    ]
    trivial: list[float] = []
    trivial_failed: list[str] = []
    stop = threading.Event()
    paced = threading.Thread(
        target=_paced_reader, args=(args.base_url, cookie, trivial, trivial_failed, stop)
    )
    readers = None
    if args.burst_readers:
        # Until the burst is over (on SIGINT wrk stops and reports).
        command = _wrk_command(args, DASHBOARD, cookie, args.burst_readers, 3600)
        readers = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    for thread in clients:
        thread.start()
    paced.start()
    start.wait()
    began = time.perf_counter()
    for thread in clients:
        thread.join()
    wall = time.perf_counter() - began
    stop.set()
    paced.join()
    read_load = None
    if readers is not None:
        readers.send_signal(signal.SIGINT)
        read_load = _wrk_result(readers.communicate(timeout=120)[0])
    return {
        "stats": stats,
        "wall": wall,
        "trivial": trivial,
        "trivial_failed": trivial_failed,
        "read_load": read_load,
    }


def _checked(plan: dict) -> dict[str, int]:
    """The burst's reports as the primary holds them."""
    from django.db.models import Count

    from tiaodu.core.models import AuditEvent
    from tiaodu.reporting.models import Report

    ids = [report for spec in plan["clients"] for report in spec["reports"]]
    reports = Report.objects.filter(pk__in=ids)
    projects = reports.values_list("project_id", flat=True)
    pairs = (
        Report.objects.filter(project_id__in=projects)
        .values("project", "period")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    submits = (
        AuditEvent.objects.filter(
            object_type="reporting.report",
            object_id__in=[str(pk) for pk in ids],
            changes__has_key="status",
        )
        .values("object_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    return {
        "reports": len(ids),
        "submitted": reports.filter(status="submitted").count(),
        "duplicated": pairs.count() + submits.count(),
    }


def measure(args: argparse.Namespace) -> int:
    _django()
    from django.test import Client

    from tiaodu.accounts.models import User
    from tiaodu.projects.models import Project

    plan = json.loads(Path(args.plan).read_text())
    dispatcher = User.objects.get(username="city")
    client = Client()
    client.force_login(dispatcher)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    for _n in range(8):  # every gunicorn worker of both servers has served a page
        _get(args.base_url, TRIVIAL, cookie)
    print("  the dashboard's first reads after a change", flush=True)
    first = _first_reads(args, cookie, dispatcher)
    print(f"  wrk, {args.connections} connections, {args.seconds} s a run", flush=True)
    pages = alone(args, cookie)
    trivial, board = pages[TRIVIAL], pages[DASHBOARD]
    print(
        f"  the deadline burst: {len(plan['clients'])} clients, the trivial page every 50 ms, "
        f"wrk on {DASHBOARD} with {args.burst_readers} connections",
        flush=True,
    )
    burst = _burst(args, plan, cookie)
    checked = _checked(plan)
    stats: Stats = burst["stats"]
    lost = checked["reports"] - checked["submitted"]
    submit_p95 = _percentile(stats.submit_ms, 0.95)
    trivial_p95 = _percentile(burst["trivial"], 0.95)
    ratio = submit_p95 / trivial_p95 if trivial_p95 else float("inf")
    share = board["rps"] / trivial["rps"] if trivial["rps"] else 0.0
    failed = len(stats.submit_failures) + len(burst["trivial_failed"]) + board["failed"]
    failed += trivial["failed"] + (burst["read_load"] or {}).get("failed", 0)

    def met(ok: bool) -> str:
        return "met" if ok else "NOT MET"

    read_load = burst["read_load"]
    stamp = datetime.now().astimezone().date().isoformat()
    lines = [
        f"### {stamp} · {machine()} · {Project.objects.count():,} projects · nginx, "
        f"2 gunicorns × {args.app_processes} processes × 4 threads, a streaming replica, Redis",
        "",
        f"Load average: {args.uptime_start} at the start, {os.getloadavg()[0]:.2f} at the end "
        "(1 min).",
        "",
        f"Alone (wrk, {args.connections} connections; {args.rounds} rounds of {args.seconds} s "
        "on each page by turns; requests/s over the rounds, latencies the rounds' median):",
        "",
        "| page | requests/s | p50 ms | p95 ms | p99 ms | failed |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {name} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} "
            f"| {r['failed']} |"
            for name, r in (
                (f"trivial ({TRIVIAL})", trivial),
                (f"dashboard ({DASHBOARD}, cached)", board),
            )
        ),
        "",
        "The dashboard's share of the trivial page's requests/s, round by round: "
        + ", ".join(f"{share:.0%}" for share in board["rounds"])
        + ".",
        "",
        f"The dashboard's first read after a change: median {statistics.median(first['cold']):.0f}"
        f" ms (of {len(first['cold'])}: {', '.join(f'{v:.0f}' for v in first['cold'])}); the "
        f"read after it {statistics.median(first['warm']):.0f} ms.",
        "",
        f"The deadline burst ({checked['reports']:,} reports, {len(plan['clients'])} clients, "
        f"{burst['wall']:.1f} s):",
        "",
        "| submits | resent | failed | lost | duplicated | submit p50 ms | submit p95 ms "
        "| trivial page p50 ms | trivial page p95 ms (n) | dashboard reads/s, p95 ms (n) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {len(stats.submit_ms):,} | {stats.resent} | {len(stats.submit_failures)} | {lost} "
        f"| {checked['duplicated']} | {statistics.median(stats.submit_ms or [0]):.0f} "
        f"| {submit_p95:.0f} | {statistics.median(burst['trivial'] or [0]):.0f} "
        f"| {trivial_p95:.0f} ({len(burst['trivial'])}) | "
        + (
            f"{read_load['rps']:.1f}, {read_load['p95']:.0f} ({read_load['requests']})"
            if read_load
            else "–"
        )
        + " |",
        "",
        "| goal | measured | |",
        "|---|---|---|",
        f"| 0 lost, 0 duplicated | {lost} lost, {checked['duplicated']} duplicated "
        f"| {met(lost == 0 and checked['duplicated'] == 0)} |",
        f"| submit p95 ≤ {SUBMIT_RATIO_GOAL:.0f}× the trivial page's under the burst "
        f"| {ratio:.2f}× | {met(ratio <= SUBMIT_RATIO_GOAL)} |",
        f"| dashboard throughput ≥ {THROUGHPUT_SHARE_GOAL:.0%} of the trivial page's "
        f"| {share:.0%} | {met(share >= THROUGHPUT_SHARE_GOAL)} |",
    ]
    report = "\n".join(lines) + "\n"
    print()
    print(report)
    for failure in [*stats.submit_failures[:5], *burst["trivial_failed"][:5]]:
        print(f"    {failure}")
    record(report)
    return 1 if lost or checked["duplicated"] or failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("command", choices=["fill", "measure"])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--plan", help="the burst's clients and reports (multi_server_load setup)")
    parser.add_argument("--base-url", default="http://127.0.0.1:8080")
    parser.add_argument("--work", default=".", help="a directory for wrk's script")
    parser.add_argument("--seconds", type=int, default=10, help="each wrk run alone")
    parser.add_argument("--rounds", type=int, default=3, help="of wrk runs alone, by turns")
    parser.add_argument("--connections", type=int, default=8, help="wrk's, alone")
    parser.add_argument("--burst-readers", type=int, default=2, help="wrk's, during the burst")
    parser.add_argument("--cold", type=int, default=3, help="first reads after a change")
    parser.add_argument("--app-processes", type=int, default=2, help="for the table's title")
    parser.add_argument("--uptime-start", default="?", help="the load average at the start")
    args = parser.parse_args(argv)
    if args.command == "fill":
        fill(args.projects)
        return 0
    if not args.plan:
        parser.error("measure needs --plan")
    return measure(args)


if __name__ == "__main__":
    raise SystemExit(main())

"""The load and the checks of scripts/multi_server.sh (docs/deployment.md, "More than one
server"), run against the site behind nginx with the environment the script sets
(DATABASE_URL, DATABASE_REPLICA_URL, REDIS_URL, TIAODU_TASKS_BACKEND=rq).

    setup   the deadline burst's city (bench/deadline_burst.py: owner units, reporters with
            API tokens, draft reports with a photo each) and a WeCom group robot whose
            webhook is this program's own sink on loopback.
    run     at the same time, through nginx:
            - the deadline burst: each client submits its reports through the reporter API
              (one in ten twice, as a retried request); a request that failed at the
              connection or with 502/503/504 (the server behind died) is sent again, as a
              client does;
            - the read load: the dashboard, the statistics page and GET /api/v1/stats, by
              signed-in dispatchers;
            - the background tasks: group-robot deliveries queued in batches, sent by the RQ
              workers to the sink;
            and, once half the reports are in, kills one gunicorn (its master and workers)
            and, unless --no-worker-kill, one RQ worker (its main process and its work
            horse), both with SIGKILL. Then it checks the database, the sink and the
            queue, prints a summary and exits 0 only if every check passed.
"""

import argparse
import contextlib
import http.client
import io
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RETRY_STATUSES = {502, 503, 504}


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    django.setup()


# ------------------------------------------------------------------------------ setup


def setup(args: argparse.Namespace) -> None:
    from bench.deadline_burst import setup as burst_setup

    burst_setup(args.reports, args.clients, Path(args.plan))  # calls django.setup()
    from tiaodu.accounts.models import OrgUnit
    from tiaodu.messaging.choices import ChannelKind
    from tiaodu.messaging.models import Channel

    city = OrgUnit.objects.get(parent__isnull=True, region_code="370200")
    Channel.objects.create(
        name="压测群机器人",
        kind=ChannelKind.WECOM_ROBOT,
        webhook_url=f"http://127.0.0.1:{args.sink_port}/robot?key=multi-server",
        org_unit=city,
        groups=[],
    )


# ------------------------------------------------------------------------------ the sink


class Sink:
    """A WeCom group robot on loopback: counts the messages per delivery title."""

    def __init__(self, port: int, delay: float) -> None:
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                content = json.loads(body)["markdown"]["content"]
                title = content.split("**")[1]
                time.sleep(delay)  # a robot that takes its time: a kill may meet a send
                with sink.lock:
                    sink.counts[title] = sink.counts.get(title, 0) + 1
                answer = b'{"errcode": 0, "errmsg": "ok"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Sink":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


# ------------------------------------------------------------------------------ run


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.submit_ms: list[float] = []
        self.submit_failures: list[str] = []
        self.resent = 0
        self.submitted = 0
        self.read_ms: list[float] = []
        self.read_failures: list[str] = []
        self.reads_after_kill = 0
        self.killed_at: float | None = None


def _connection(base: str) -> http.client.HTTPConnection:
    parts = urlsplit(base)
    return http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)


def _request(
    base: str, connection: http.client.HTTPConnection, method: str, path: str, headers: dict
) -> tuple[http.client.HTTPConnection, int | None, bytes, str]:
    """One request; on a broken connection a new one (the status is None then)."""
    try:
        connection.request(method, path, headers=headers)
        answer = connection.getresponse()
        return connection, answer.status, answer.read(), ""
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        return _connection(base), None, b"", f"{type(error).__name__}: {error}"


def submitter(base: str, spec: dict, stats: Stats, start: threading.Barrier) -> None:
    connection = _connection(base)
    headers = {"Authorization": f"Bearer {spec['token']}", "Content-Length": "0"}
    start.wait()
    for number, report_id in enumerate(spec["reports"]):
        for _twice in range(2 if number % 10 == 0 else 1):  # one in ten retried
            for attempt in range(5):
                begin = time.perf_counter()
                connection, status, body, error = _request(
                    base, connection, "POST", f"/api/v1/reports/{report_id}/submit", headers
                )
                elapsed = (time.perf_counter() - begin) * 1000
                if status is None or status in RETRY_STATUSES:
                    with stats.lock:
                        stats.resent += 1
                    time.sleep(0.2 * (attempt + 1))
                    continue
                with stats.lock:
                    stats.submit_ms.append(elapsed)
                    if status != 200:
                        stats.submit_failures.append(f"{report_id}: {status} {body[:120]!r}")
                break
            else:
                with stats.lock:
                    stats.submit_failures.append(f"{report_id}: {error or 'no answer'}")
        with stats.lock:
            stats.submitted += 1


def reader(base: str, cookie: str, stats: Stats, done: threading.Event, pause: float) -> None:
    connection = _connection(base)
    headers = {"Cookie": cookie}
    paths = ["/dashboard/", "/analytics/", "/api/v1/stats"]
    number = 0
    while not done.is_set():
        path = paths[number % len(paths)]
        number += 1
        begin = time.perf_counter()
        connection, status, body, error = _request(base, connection, "GET", path, headers)
        elapsed = (time.perf_counter() - begin) * 1000
        with stats.lock:
            if status == 200:
                stats.read_ms.append(elapsed)
                if stats.killed_at is not None:
                    stats.reads_after_kill += 1
            else:
                stats.read_failures.append(f"{path}: {status or error} {body[:80]!r}")
        time.sleep(pause)


def _descendants(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    children = [int(line) for line in found.split()]
    return [grand for child in children for grand in [child, *_descendants(child)]]


def kill_tree(pid: int) -> list[int]:
    """SIGKILL a process and everything below it (a gunicorn master and its workers, an RQ
    worker and its work horse), the parent first so that it cannot start new children."""
    victims = [pid, *_descendants(pid)]
    for victim in victims:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
    return victims


def queue_deliveries(count: int, batch: int, pause: float, done: threading.Event) -> list[int]:
    """Deliveries to the sink's robot, queued in batches through the messaging app's own
    `routing.queue` (one `deliver` task each, enqueued when the transaction commits)."""
    from django.db import transaction

    from tiaodu.core import clock
    from tiaodu.messaging import routing
    from tiaodu.messaging.choices import Transport
    from tiaodu.messaging.models import Channel, Delivery

    channel = Channel.objects.get(name="压测群机器人")
    queued: list[int] = []
    while len(queued) < count:
        now = clock.now()
        with transaction.atomic():
            rows = [
                Delivery(
                    transport=Transport.WECOM_ROBOT,
                    channel=channel,
                    kind="multi-server",
                    title=f"任务{len(queued) + n + 1:05d}",
                    text="多服务器压测",
                    created_at=now,
                    due_at=now,
                )
                for n in range(min(batch, count - len(queued)))
            ]
            Delivery.objects.bulk_create(rows)
            routing.queue(rows)
        queued.extend(row.pk for row in rows)
        if done.wait(pause):
            pause = 0  # the burst is over: queue the rest at once
    return queued


def _rq() -> tuple[Any, Any, Any, Any]:
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    queue = django_rq.get_queue("default", job_class=Job)
    return (
        queue,
        StartedJobRegistry(queue=queue, job_class=Job),
        FailedJobRegistry(queue=queue, job_class=Job),
        Job,
    )


def drain_tasks(queued: list[int], killed_worker: str | None, timeout: float) -> dict[str, Any]:
    """Wait until every delivery is sent but those whose job the killed worker held; then
    hand those jobs to RQ's abandoned-job handling (what a worker's maintenance does once
    the dead worker's heartbeat has expired, 90 s later) and requeue them from the failed
    registry, as an operator does (`rq requeue`, or the django-rq admin)."""
    from rq.job import JobStatus

    from tiaodu.messaging.choices import DeliveryStatus
    from tiaodu.messaging.models import Delivery

    def pending() -> int:
        return Delivery.objects.filter(pk__in=queued, status=DeliveryStatus.PENDING).count()

    queue, started, failed, job_class = _rq()
    deadline = time.monotonic() + timeout
    held: list[str] = []
    while time.monotonic() < deadline:
        running = started.get_job_ids(cleanup=False)
        held = [
            job_id
            for job_id in running
            if killed_worker
            and job_class.fetch(job_id, connection=queue.connection).worker_name == killed_worker
        ]
        if queue.count == 0 and len(running) == len(held) and pending() <= len(held):
            break
        time.sleep(0.5)
    else:
        return {"drained": False, "abandoned": len(held), "requeued": 0}
    requeued = []
    if held:
        started.cleanup(timestamp=time.time() + 10**6)  # only the dead worker's remain
        requeued = [job_id for job_id in held if job_id in failed.get_job_ids(cleanup=False)]
        for job_id in requeued:
            failed.requeue(job_id)
        final = {JobStatus.FINISHED, JobStatus.FAILED}
        while time.monotonic() < deadline and not all(
            job_class.fetch(job_id, connection=queue.connection).get_status() in final
            for job_id in requeued
        ):
            time.sleep(0.2)
    return {"drained": pending() == 0, "abandoned": len(held), "requeued": len(requeued)}


def schedule_rounds_twice() -> dict[str, int]:
    """`open_periods --schedule` and `messaging_digest --schedule` twice each, as two servers
    starting would: the RQ queue must hold one run of each round (core/task_queue.py)."""
    from django.core.management import call_command

    from tiaodu.messaging.tasks import daily_digest
    from tiaodu.reporting.tasks import daily_round

    for _twice in range(2):
        call_command("open_periods", "--schedule", stdout=io.StringIO())
        call_command("messaging_digest", "--schedule", stdout=io.StringIO())
    queue, _started, _failed, job_class = _rq()
    from rq.registry import ScheduledJobRegistry

    ids = [*ScheduledJobRegistry(queue=queue).get_job_ids(), *queue.get_job_ids()]
    names = [job.func_name for job in job_class.fetch_many(ids, connection=queue.connection) if job]
    return {task.name: names.count(task.module_path) for task in (daily_round, daily_digest)}


def run(args: argparse.Namespace) -> int:
    _django()
    from django.test import Client

    from bench.deadline_burst import verify
    from tiaodu.accounts.models import User
    from tiaodu.messaging.choices import DeliveryStatus
    from tiaodu.messaging.models import Delivery

    plan = json.loads(Path(args.plan).read_text())
    rounds = schedule_rounds_twice()
    stats = Stats()
    # Signed-in readers: sessions written to the shared store (Redis in front of the
    # database), as a sign-in on either server writes them.
    dispatcher = User.objects.get(username="city")
    cookies = []
    for _n in range(args.readers):
        client = Client()
        client.force_login(dispatcher)
        cookies.append(f"sessionid={client.cookies['sessionid'].value}")

    done = threading.Event()
    burst_done = threading.Event()
    start = threading.Barrier(len(plan["clients"]) + 1)
    clients = [
        threading.Thread(target=submitter, args=(args.base_url, spec, stats, start))
        for spec in plan["clients"]
    ]
    readers = [
        threading.Thread(target=reader, args=(args.base_url, c, stats, done, args.read_pause))
        for c in cookies
    ]
    queued: list[int] = []
    killed: dict[str, list[int]] = {}
    killed_worker_name = None
    with Sink(args.sink_port, args.sink_delay) as sink:
        tasks = threading.Thread(
            target=lambda: queued.extend(
                queue_deliveries(args.tasks, args.task_batch, args.task_pause, burst_done)
            )
        )
        for thread in [*readers, *clients]:
            thread.start()
        tasks.start()
        start.wait()
        began = time.perf_counter()
        total = args.reports
        while any(thread.is_alive() for thread in clients):
            if stats.killed_at is None and stats.submitted >= total // 2:
                killed["app server"] = kill_tree(args.kill_app)
                if args.kill_worker:
                    killed["task worker"] = kill_tree(args.kill_worker)
                    killed_worker_name = args.kill_worker_name
                stats.killed_at = time.perf_counter() - began
                print(
                    f"  killed (SIGKILL) at {stats.killed_at:.1f} s, {stats.submitted} reports "
                    f"in: " + "; ".join(f"{k} pids {v}" for k, v in killed.items()),
                    flush=True,
                )
            time.sleep(0.05)
        wall = time.perf_counter() - began
        burst_done.set()
        tasks.join()
        time.sleep(args.read_tail)  # the reads go on a little after the burst
        done.set()
        for thread in readers:
            thread.join()
        drained = drain_tasks(queued, killed_worker_name, timeout=args.task_timeout)
        sent_counts = dict(sink.counts)

    checked = verify()
    deliveries = Delivery.objects.filter(pk__in=queued)
    sent = deliveries.filter(status=DeliveryStatus.SENT).count()
    once = deliveries.filter(status=DeliveryStatus.SENT, attempts=1).count()
    titles = set(deliveries.values_list("title", flat=True))
    received_twice = sum(1 for title, n in sent_counts.items() if title in titles and n > 1)
    never_received = sum(1 for title in titles if sent_counts.get(title, 0) == 0)
    lost = args.reports - checked["submitted"]

    checks = [
        ("every report submitted (none lost)", lost == 0, f"{checked['submitted']}/{args.reports}"),
        ("no report or submit duplicated", checked["duplicated"] == 0, str(checked["duplicated"])),
        (
            "every submit answered 200 in the end",
            not stats.submit_failures,
            f"{len(stats.submit_failures)} failed, {stats.resent} resent after 502/reset",
        ),
        ("the task queue drained", drained["drained"], "no delivery left waiting"),
        (
            "every queued task ran: each delivery sent",
            sent == len(queued) == args.tasks,
            f"{sent}/{args.tasks}",
        ),
        (
            "each task ran once (a second send only for a job the killed worker held)",
            once + drained["abandoned"] >= len(queued)
            and received_twice <= drained["abandoned"]
            and never_received == 0,
            f"{once} sent on the first attempt, {drained['abandoned']} abandoned by the killed "
            f"worker, {drained['requeued']} requeued, {received_twice} received twice by the "
            "robot",
        ),
        (
            "a daily round scheduled twice is queued once",
            all(n == 1 for n in rounds.values()),
            ", ".join(f"{name}: {n}" for name, n in rounds.items()),
        ),
        (
            "reads went on through nginx after the kill",
            stats.reads_after_kill > 0 and not stats.read_failures,
            f"{len(stats.read_ms)} reads, {stats.reads_after_kill} after the kill, "
            f"{len(stats.read_failures)} failed",
        ),
    ]
    print()
    print(f"  burst: {args.reports} reports by {args.clients} clients in {wall:.1f} s; submit "
          f"p50 {statistics.median(stats.submit_ms or [0]):.0f} ms, p95 "
          f"{_percentile(stats.submit_ms, 0.95):.0f} ms, p99 {_percentile(stats.submit_ms, 0.99):.0f} ms")  # fmt: skip
    print(f"  reads: {len(stats.read_ms)} pages (dashboard, statistics, /api/v1/stats), p50 "
          f"{statistics.median(stats.read_ms or [0]):.0f} ms, p95 {_percentile(stats.read_ms, 0.95):.0f} ms")  # fmt: skip
    print(f"  tasks: {len(queued)} deliveries queued, {sent} sent")
    print(
        "  (RQ runs an enqueued task at most once: a job held by a dead worker is moved to the "
        "failed registry as abandoned, here at once, on a site once its heartbeat expires, "
        "and requeued by the operator)"
    )
    for name, ok, detail in checks:
        print(f"  {'ok    ' if ok else 'FAILED'}  {name}" + (f" ({detail})" if detail else ""))
    for failure in [*stats.submit_failures[:5], *stats.read_failures[:5]]:
        print(f"    {failure}")
    Path(args.result).write_text(
        json.dumps({"ok": all(ok for _n, ok, _d in checks), "wall": wall}) + "\n"
    )
    return 0 if all(ok for _n, ok, _d in checks) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["setup", "run"])
    parser.add_argument("--plan", required=True, help="the clients' tokens and reports (JSON)")
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--sink-port", type=int, required=True)
    parser.add_argument("--sink-delay", type=float, default=0.03)
    parser.add_argument("--base-url", default="http://127.0.0.1:8080")
    parser.add_argument("--readers", type=int, default=3)
    parser.add_argument("--read-pause", type=float, default=0.05)
    parser.add_argument("--read-tail", type=float, default=2.0)
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--task-batch", type=int, default=20)
    parser.add_argument("--task-pause", type=float, default=0.5)
    parser.add_argument("--task-timeout", type=float, default=120)
    parser.add_argument("--kill-app", type=int, help="the gunicorn master to kill")
    parser.add_argument("--kill-worker", type=int, help="the RQ worker to kill")
    parser.add_argument("--kill-worker-name", help="its name (rqworker --name)")
    parser.add_argument("--result", default=os.devnull)
    args = parser.parse_args(argv)
    if args.command == "setup":
        setup(args)
        return 0
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())

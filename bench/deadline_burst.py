"""The deadline burst: many reporters submit at once, against gunicorn on PostgreSQL.

Setup (not timed), in a fresh PostgreSQL database: a city with `--clients` owner units,
one reporter each with an API token, `--reports` projects spread over the units, the
period in progress opened, and for each project a draft report with its amount and one
photo of about 1 MB already uploaded (the photo is accepted once through
`core.media.checks`, as an upload would be, and stored for every report by
`core.media.store`, so that the setup does not spend minutes re-encoding the same picture).

The burst (timed): gunicorn serves the site on loopback; `--clients` threads, one per
reporter, each with a keep-alive connection, submit their reports through the API
(`POST /api/v1/reports/{id}/submit`) as fast as the server answers; one report in ten is
submitted twice (a retried request). An extra thread requests a trivial page (the sign-in
page) throughout. Then the database is checked: every report submitted once (0 lost), no
second report or second submit record for any (0 duplicated).

Prints a Markdown table: submits, lost, duplicated, p50/p95/p99 of the submit request, and
the trivial page's p95 during the same run.

Usage: python bench/deadline_burst.py [--reports 1000] [--clients 50] [--workers 4]
"""

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import machine, record  # noqa: E402

PG_DB = ["-h", "127.0.0.1", "-U", "postgres"]
DB_NAME = "tiaodu_burst"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PORT = 8766
PY = sys.executable


def _env(media: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "TIAODU_MEDIA_ROOT": str(media),
        "TIAODU_DEBUG": "0",
        "TIAODU_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "tiaodu.settings",
        "TIAODU_CONN_MAX_AGE": "60",
    }


# ------------------------------------------------------------------------------ setup


def one_megabyte_photo() -> bytes:
    """A noisy 1600×1200 JPEG of about 1 MB (noise does not compress)."""
    import io
    import random

    from PIL import Image

    rng = random.Random(5)
    image = Image.new("RGB", (1600, 1200))
    image.putdata(
        [(rng.randrange(256), rng.randrange(200), rng.randrange(160)) for _ in range(1600 * 1200)]
    )
    for quality in (70, 60, 50, 40):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        if out.tell() <= 1_300_000:
            break
    return out.getvalue()


def setup(reports: int, clients: int, out: Path) -> None:
    """Runs in a child process with Django set up on the burst database."""
    import django

    django.setup()
    from decimal import Decimal

    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from tiaodu.accounts import org_units
    from tiaodu.accounts import services as accounts
    from tiaodu.accounts.choices import OrgUnitKind
    from tiaodu.accounts.models import OrgUnit, User
    from tiaodu.accounts.tokens import issue_api_token
    from tiaodu.core import bulk
    from tiaodu.core.media.checks import inspect_upload
    from tiaodu.core.media.store import store
    from tiaodu.core.roles import Role
    from tiaodu.projects import services as projects
    from tiaodu.reporting import services
    from tiaodu.reporting.models import Period, ReportFile

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    city, _c, _r = org_units.setup_regions(actor=None, region_code="370200")
    counties = list(OrgUnit.objects.filter(parent=city, kind=OrgUnitKind.COUNTY))
    # The city's dispatcher, unless the database has one already (bench/scale.py's).
    dispatcher = User.objects.filter(username="city").first()
    if dispatcher is None:
        dispatcher = accounts.create_user(actor=None, username="city", password="Bench#2026pass")
        accounts.assign_role(actor=None, user=dispatcher, role=Role.DISPATCHER, org_unit=city)
    today = timezone.localdate()
    services.open_periods(today=today)
    period = Period.objects.filter(cycle="monthly", start__lte=today, end__gte=today).get()
    accepted = inspect_upload(__import__("io").BytesIO(one_megabyte_photo()), name="site.jpg")
    reporters = []
    for index in range(clients):
        unit = org_units.create_org_unit(
            actor=None,
            name=f"青岛第{index + 1}建设有限公司",
            kind=OrgUnitKind.OWNER_UNIT,
            parent=counties[index % len(counties)],
        )
        user = accounts.create_user(actor=None, username=f"r{index}", password="Bench#2026pass")
        accounts.assign_role(actor=None, user=user, role=Role.REPORTER, org_unit=unit)
        _token, raw = issue_api_token(actor=None, user=user, name="压测")
        reporters.append({"user": user, "unit": unit, "token": raw, "reports": []})
    files: list[ReportFile] = []
    for index in range(reports):
        owner = reporters[index % clients]
        project = projects.create_project(
            actor=dispatcher,
            name=f"压测项目{index + 1:05d}",
            region=owner["unit"].parent,
            owner_unit=owner["unit"],
            total_investment=Decimal(50000),
            plan={
                "year": today.year,
                "nature": "continuing",
                "level": "municipal",
                "planned_investment": Decimal(10000),
            },
        )
        plan = project.plans.get(year=today.year)
        report = services.open_draft(actor=owner["user"], plan=plan, period=period)
        services.update_draft(
            actor=owner["user"],
            report=report,
            investment=Decimal(100),
            physical_progress="主体施工",
        )
        item = ReportFile(
            report=report, kind=accepted.kind, phash=accepted.phash or "", uploaded_by=owner["user"]
        )
        store(item, accepted, stem=f"burst-{report.pk}", original_name="site.jpg")
        files.append(item)
        owner["reports"].append(report.pk)
    with transaction.atomic():
        bulk.insert(ReportFile, files)
    out.write_text(
        json.dumps(
            {
                "clients": [{"token": r["token"], "reports": r["reports"]} for r in reporters],
                "photo_bytes": accepted.size,
            }
        )
    )


def verify() -> dict[str, int]:
    """Runs in a child process: the reports as the database holds them after the burst."""
    import django

    django.setup()
    from django.db.models import Count

    from tiaodu.core.models import AuditEvent
    from tiaodu.reporting.models import Report

    submitted = Report.objects.filter(status="submitted").count()
    per_pair = Report.objects.values("project", "period").annotate(n=Count("id"))
    doubled_rows = sum(1 for row in per_pair if row["n"] > 1)
    submit_events = (
        AuditEvent.objects.filter(object_type="reporting.report", changes__has_key="status")
        .values("object_id")
        .annotate(n=Count("id"))
    )
    doubled_submits = sum(1 for row in submit_events if row["n"] > 1)
    return {
        "reports": Report.objects.count(),
        "submitted": submitted,
        "duplicated": doubled_rows + doubled_submits,
    }


# ------------------------------------------------------------------------------ burst


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def burst(plan: dict[str, Any]) -> dict[str, Any]:
    latencies: list[float] = []
    failures: list[str] = []
    page_latencies: list[float] = []
    lock = threading.Lock()
    done = threading.Event()
    start = threading.Barrier(len(plan["clients"]) + 1)

    def client(spec: dict[str, Any]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        headers = {"Authorization": f"Bearer {spec['token']}", "Content-Length": "0"}
        start.wait()
        for number, report_id in enumerate(spec["reports"]):
            for _attempt in range(2 if number % 10 == 0 else 1):  # one in ten retried
                begin = time.perf_counter()
                try:
                    connection.request(
                        "POST", f"/api/v1/reports/{report_id}/submit", headers=headers
                    )
                    answer = connection.getresponse()
                    body = answer.read()
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
                    with lock:
                        failures.append(f"{report_id}: {error}")
                    continue
                elapsed = time.perf_counter() - begin
                with lock:
                    latencies.append(elapsed)
                    if answer.status != 200:
                        failures.append(f"{report_id}: {answer.status} {body[:120]!r}")
        connection.close()

    def trivial_page() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        start.wait()
        while not done.is_set():
            begin = time.perf_counter()
            connection.request("GET", "/accounts/login/")
            connection.getresponse().read()
            page_latencies.append(time.perf_counter() - begin)
            time.sleep(0.05)
        connection.close()

    threads = [threading.Thread(target=client, args=(spec,)) for spec in plan["clients"]]
    page = threading.Thread(target=trivial_page)
    for thread in [*threads, page]:
        thread.start()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    done.set()
    page.join()
    return {"latencies": latencies, "failures": failures, "page": page_latencies, "wall": wall}


def _child_python(code: str, media: Path) -> str:
    result = subprocess.run(
        [PY, "-c", code], cwd=ROOT, env=_env(media), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(result.returncode)
    return result.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="tiaodu-burst-"))
    media = scratch / "media"
    plan_file = scratch / "plan.json"
    subprocess.run(["dropdb", *PG_DB, "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", *PG_DB, DB_NAME], check=True)
    server = None
    try:
        subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_env(media), check=True)
        print(f"setup: {args.reports} draft reports with a photo each", flush=True)
        _child_python(
            "import sys; sys.path.insert(0, '.'); from bench.deadline_burst import setup; "
            f"from pathlib import Path; setup({args.reports}, {args.clients}, Path({str(plan_file)!r}))",
            media,
        )
        plan = json.loads(plan_file.read_text())
        server = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "tiaodu.wsgi", "-b", f"127.0.0.1:{PORT}",
             "-w", str(args.workers), "--threads", str(args.threads), "--log-level", "warning"],
            cwd=ROOT, env=_env(media),
        )  # fmt: skip
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=2).request(
                    "GET", "/accounts/login/"
                )
                break
            except OSError:
                time.sleep(0.2)
        print(f"burst: {args.clients} clients", flush=True)
        result = burst(plan)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    checked = json.loads(
        _child_python(
            "import sys, json; sys.path.insert(0, '.'); from bench.deadline_burst import verify; "
            "print(json.dumps(verify()))",
            media,
        )
        .strip()
        .splitlines()[-1]
    )
    subprocess.run(["dropdb", *PG_DB, "--if-exists", DB_NAME], check=False)
    shutil.rmtree(scratch, ignore_errors=True)

    ms = [value * 1000 for value in result["latencies"]]
    page = [value * 1000 for value in result["page"]]
    lost = args.reports - checked["submitted"]
    stamp = datetime.now().astimezone().date().isoformat()
    lines = [
        f"### {stamp} · {machine()} · gunicorn {args.workers}×{args.threads} threads",
        "",
        "| reports | clients | requests | failed requests | lost | duplicated | p50 ms | p95 ms "
        "| p99 ms | wall s | trivial page p95 ms (n) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {args.reports:,} | {args.clients} | {len(ms):,} | {len(result['failures'])} | {lost} "
        f"| {checked['duplicated']} | {statistics.median(ms):.0f} | {_percentile(ms, 0.95):.0f} "
        f"| {_percentile(ms, 0.99):.0f} | {result['wall']:.1f} "
        f"| {_percentile(page, 0.95):.0f} ({len(page)}) |",
    ]
    report = "\n".join(lines) + "\n"
    print()
    print(report)
    if result["failures"]:
        print("first failures:", *result["failures"][:5], sep="\n  ")
    record(report)
    return 1 if lost or checked["duplicated"] or result["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())

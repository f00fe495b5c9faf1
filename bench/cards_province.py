"""Computing the month's cards at a province's scale (issue 16): 100,000 projects.

The data is `bench/pages.py`'s (`scale.build`, `ledger_and_figures.enrich`,
`scale.activity`, then ANALYZE), filled once by `--fill` into kept template databases
(var/bench/cards-province.sqlite3 and the PostgreSQL database
`tiaodu_bench_cards_province`), since a fill takes minutes. Each timed run works on a copy
of a template (a copied file; `createdb --template`), so every first computation starts
from the same data: with the clock at 20 December 2026, November's first computation
(every card inserted, the supervision ladder's proposals with their audit events) and then
one computation that changes nothing. The first computation's time is split by phase
(facts and rules, the cards' insert, the ladder: its reading, its proposals' checks, their
insert and their audit events; the commit) by timing those functions where they are
called, and the time Python's garbage collector took (`gc.callbacks`). A digest of what
the first computation wrote (cards, proposals, their audit events, the run; ids and
moments aside) is printed: two trees that compute the same print the same. `--profile`
also runs the first computation under cProfile and prints its top functions (the times
under the profiler are higher).

`--tree PATH` runs the computation with the `tiaodu` package of another checkout on the
same template (its migrations must be the same): the before of a before-and-after.

Goal (issue 16): ≤ 20 s.

Usage: python bench/cards_province.py --fill [--size 100000] [--no-postgres]
       python bench/cards_province.py [--tree PATH] [--profile] [--no-postgres]
"""

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "var" / "bench"
TEMPLATE = FOLDER / "cards-province.sqlite3"
COPY = FOLDER / "cards-province-run.sqlite3"
PG_HOST = ["-h", "127.0.0.1", "-U", "postgres"]
PG_BASE = "postgres://postgres@127.0.0.1:5432/"
PG_TEMPLATE = "tiaodu_bench_cards_province"
PG_COPY = "tiaodu_bench_cards_province_run"
MONTH = date(2026, 11, 1)
TODAY = date(2026, 12, 20)
GOAL_S = 20.0


def _sqlite_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def fill_child(url: str, size: int) -> None:
    sys.path.insert(0, str(ROOT))
    from bench.ledger_and_figures import _django
    from bench.pages import fill

    _django(url)
    from django.db import connection

    timings = fill(size)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"  filled: {json.dumps(timings, default=str)}", flush=True)


def _timed(
    spent: dict[str, float], owner: Any, name: str, label: str, only: Callable[..., bool] | None
) -> None:
    """Replace owner.name by a function adding its wall time to spent[label]."""
    original = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        if only is not None and not only(*args, **kwargs):
            return original(*args, **kwargs)
        begin = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - begin

    setattr(owner, name, timed)


def digest() -> dict[str, str]:
    """What the first computation wrote, as a hash of each table's rows (ids and moments
    aside): two trees that compute the same give the same."""
    import hashlib

    from tiaodu.core.models import AuditEvent
    from tiaodu.scoring.models import Card, CardRun, Proposal

    def rows(query: Any) -> str:
        found = hashlib.sha256()
        for row in query:
            found.update(json.dumps(row, default=str, sort_keys=True).encode())
        return found.hexdigest()[:16]

    return {
        "cards": rows(
            Card.objects.order_by("plan_id").values(
                "plan_id",
                "project_id",
                "month",
                "rule_set_id",
                "colour",
                "revised_colour",
                "score",
                "dimensions",
                "inputs",
                "restore",
                "evidence",
            )
        ),
        "proposals": rows(
            Proposal.objects.order_by("project_id", "kind").values(
                "month",
                "kind",
                "project_id",
                "recipient_unit_id",
                "reason",
                "basis",
                "status",
                "decided_by_id",
                "decided_at",
                "dismissal_reason",
                "notice_id",
            )
        ),
        "events": rows(
            AuditEvent.objects.filter(object_type__in=["scoring.proposal", "scoring.cardrun"])
            .order_by("object_type", "parent_id", "object_repr")
            .values(
                "actor_id",
                "actor_name",
                "action",
                "object_type",
                "object_repr",
                "parent_type",
                "parent_id",
                "changes",
                "success",
                "message",
                "source_address",
                "channel",
            )
        ),
        "runs": rows(
            CardRun.objects.order_by("pk").values(
                "month",
                "rule_set_id",
                "run_by_id",
                "reason",
                "cards",
                "added",
                "changed",
                "removed",
                "changes",
            )
        ),
    }


def run_child(url: str, tree: str, profile: bool) -> dict[str, Any]:
    sys.path.insert(0, tree)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from tiaodu.core import audit, bulk, clock
    from tiaodu.scoring import facts, proposals, rules, services
    from tiaodu.scoring.models import Card, Proposal

    assert Path(services.__file__).is_relative_to(tree), services.__file__
    spent: dict[str, float] = defaultdict(float)
    _timed(spent, facts, "gather", "facts", None)
    _timed(spent, rules, "judge", "rules (judge)", None)
    _timed(spent, bulk, "insert", "insert cards", lambda model, *a, **k: model is Card)
    if hasattr(bulk, "insert_rows"):
        _timed(spent, bulk, "insert_rows", "insert cards", lambda model, *a, **k: model is Card)
    if hasattr(audit, "record_values"):
        _timed(spent, audit, "record_values", "ladder: audit events", None)
    _timed(spent, bulk, "insert", "insert proposals", lambda model, *a, **k: model is Proposal)
    _timed(spent, proposals, "propose_for_month", "ladder (all)", None)
    _timed(spent, proposals, "_red_runs", "ladder: red runs", None)
    _timed(spent, audit, "record_many", "ladder: audit events", None)
    result: dict[str, Any] = {}
    collecting: list[float] = []

    def collector(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            collecting.append(time.perf_counter())
        else:
            spent["garbage collection"] += time.perf_counter() - collecting.pop()

    gc.callbacks.append(collector)
    with clock.frozen(TODAY):
        profiler = cProfile.Profile() if profile else None
        begin, cpu = time.perf_counter(), time.process_time()
        with transaction.atomic():
            if profiler is not None:
                profiler.enable()
            first = services.compute_cards(actor=None, month=MONTH, reason="bench")
            if profiler is not None:
                profiler.disable()
            inside = time.perf_counter()
        end = time.perf_counter()
        result["first_s"] = end - begin
        # This process's CPU time (SQLite's work is in it; PostgreSQL's server is not):
        # less moved by the machine's other work than the wall time.
        result["cpu_s"] = time.process_time() - cpu
        result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result["commit_s"] = end - inside
        gc.callbacks.remove(collector)
        result["phases"] = {label: round(seconds, 2) for label, seconds in spent.items()}
        result["cards"] = first.cards
        result["colours"] = dict(first.colours)
        result["proposals"] = first.proposals
        result["digest"] = digest()
        begin = time.perf_counter()
        again = services.compute_cards(actor=None, month=MONTH, reason="bench again")
        result["again_s"] = time.perf_counter() - begin
        assert (again.added, again.changed, again.removed) == (0, 0, 0)
    result["vendor"] = connection.vendor
    if profiler is not None:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        print(out.getvalue(), flush=True)
    return result


def _copy(label: str) -> str:
    if label == "SQLite":
        for path in _sqlite_files(COPY):
            path.unlink(missing_ok=True)
        shutil.copyfile(TEMPLATE, COPY)
        return f"sqlite:///{COPY}"
    subprocess.run(["dropdb", *PG_HOST, "--if-exists", PG_COPY], check=True)
    subprocess.run(["createdb", *PG_HOST, "--template", PG_TEMPLATE, PG_COPY], check=True)
    return PG_BASE + PG_COPY


def _child(args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    lines = done.stdout.splitlines()
    sys.stdout.write("".join(f"{line}\n" for line in lines if not line.startswith("RESULT")))
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(done.returncode)
    found = [line for line in lines if line.startswith("RESULT\t")]
    return json.loads(found[0].split("\t", 1)[1]) if found else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--fill", action="store_true")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--tree", default=str(ROOT))
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--fill-child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--run-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fill_child:
        fill_child(args.fill_child[0], int(args.fill_child[1]))
        return 0
    if args.run_child:
        result = run_child(args.run_child, str(Path(args.tree).resolve()), args.profile)
        print("RESULT\t" + json.dumps(result), flush=True)
        return 0
    labels = ([] if args.no_sqlite else ["SQLite"]) + ([] if args.no_postgres else ["PostgreSQL"])
    FOLDER.mkdir(parents=True, exist_ok=True)
    for label in labels:
        if args.fill:
            if label == "SQLite":
                for path in _sqlite_files(TEMPLATE):
                    path.unlink(missing_ok=True)
                url = f"sqlite:///{TEMPLATE}"
            else:
                subprocess.run(["dropdb", *PG_HOST, "--if-exists", PG_TEMPLATE], check=True)
                subprocess.run(["createdb", *PG_HOST, PG_TEMPLATE], check=True)
                url = PG_BASE + PG_TEMPLATE
            print(f"cards (province), filling {label} with {args.size:,} projects", flush=True)
            _child(["--fill-child", url, str(args.size)])
            continue
        url = _copy(label)
        print(f"cards (province), {label}, tree {args.tree}", flush=True)
        extra = ["--profile"] if args.profile else []
        r = _child(["--run-child", url, "--tree", args.tree, *extra])
        print(
            f"  {label}: first {r['first_s']:.2f} s (commit {r['commit_s']:.2f}, CPU of the "
            f"process {r['cpu_s']:.2f} s, peak {r['peak_mib']:.0f} MiB), again "
            f"{r['again_s']:.2f} s; {r['cards']:,} cards {r['colours']}, "
            f"{r['proposals']:,} proposals; goal ≤ {GOAL_S:.0f} s "
            f"{'met' if max(r['first_s'], r['again_s']) <= GOAL_S else 'NOT MET'}",
            flush=True,
        )
        print(f"  phases: {r['phases']}", flush=True)
        print(f"  digest: {r['digest']}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

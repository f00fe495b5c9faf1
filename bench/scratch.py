"""What the suites that time one case per database and size share: a child process per
case (a fresh interpreter and Django, printing `RESULT\tkey=value…`), and the scratch
databases it runs on — an SQLite file in a temporary directory, and a PostgreSQL database
of the suite's own name, created before each case and dropped at the end."""

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.run import PG_URL

PG_DB = ["-h", "127.0.0.1", "-U", "postgres"]


def child(script: str, args: list[str]) -> dict[str, float]:
    """Run `script` with `args` in a child process; echo its lines; return its RESULT."""
    done = subprocess.run(
        [sys.executable, script, *args], capture_output=True, text=True, check=False
    )
    sys.stdout.write(
        "".join(f"{line}\n" for line in done.stdout.splitlines() if line[:6] != "RESULT")
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(done.returncode)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT\t"):
            return {k: float(v) for k, v in (item.split("=") for item in line.split("\t")[1:])}
    raise SystemExit("the child printed no result")


def print_result(result: dict[str, float]) -> None:
    """The child's side of `child`."""
    print("RESULT\t" + "\t".join(f"{k}={v}" for k, v in result.items()), flush=True)


class Databases:
    """The suite's scratch databases: `each()` gives (label, url) with a fresh database for
    each case."""

    def __init__(self, name: str, scratch: str, postgres: bool) -> None:
        self.name = name
        self.sqlite = Path(scratch) / f"{name}.sqlite3"
        self.pg_url = os.environ.get(
            f"BENCH_{name.upper()}_PG_URL", PG_URL.rsplit("/", 1)[0] + f"/tiaodu_bench_{name}"
        )
        self.pg_name = self.pg_url.rsplit("/", 1)[1]
        self.postgres = postgres

    def labels(self) -> list[tuple[str, str]]:
        found = [("SQLite", f"sqlite:///{self.sqlite}")]
        if self.postgres:
            found.append(("PostgreSQL", self.pg_url))
        return found

    def exists(self, label: str) -> bool:
        """Whether the case's database is there (left by a run with --keep)."""
        if label == "SQLite":
            return self.sqlite.exists()
        names = subprocess.run(
            ["psql", *PG_DB, "-Atc", "SELECT datname FROM pg_database"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        return self.pg_name in names

    def fresh(self, label: str) -> None:
        """An empty database for the next case."""
        if label == "SQLite":
            self.sqlite.unlink(missing_ok=True)
        else:
            subprocess.run(["dropdb", *PG_DB, "--if-exists", self.pg_name], check=True)
            subprocess.run(["createdb", *PG_DB, self.pg_name], check=True)


@contextmanager
def databases(name: str, postgres: bool) -> Iterator[Databases]:
    """The scratch databases of a suite, removed when it ends."""
    with tempfile.TemporaryDirectory() as scratch:
        found = Databases(name, scratch, postgres)
        try:
            yield found
        finally:
            if postgres:
                subprocess.run(["dropdb", *PG_DB, "--if-exists", found.pg_name], check=False)

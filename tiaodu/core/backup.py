"""Backup and restore of a site: its database, its stored files and a signed manifest.

A backup is a folder (docs/deployment.md, "Backup and restore"):

- `db.sqlite3` (SQLite: a copy made with SQLite's online backup API) or `db.dump`
  (PostgreSQL: `pg_dump --format=custom`);
- `media/`, a copy of the stored files (`MEDIA_ROOT`);
- `manifest.json`: when and from which database vendor it was made, the last migration
  applied per app, the row count of every table and the SHA-256 and size of every file
  (the database file included), signed with an HMAC under a key derived from `SECRET_KEY`.

The counts are those of the copy itself: on SQLite they are read from the copied file, on
PostgreSQL in the transaction whose snapshot `pg_dump` dumps (`pg_export_snapshot`), so a
site in use while it is backed up still gets a manifest true to its dump.

`restore` checks the signature and every hash before it touches anything, refuses a target
that is not empty (an empty database has no table; an empty media folder has no file),
loads the database and the files, then counts again and compares with the manifest.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from tiaodu.core import clock

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}
SIGNING_SALT = "tiaodu.core.backup.manifest"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why, in the reader's words."""


@dataclass
class DatabaseState:
    """What a database holds, as the manifest records it."""

    tables: dict[str, int]
    migrations: dict[str, str]


@dataclass
class Comparison:
    """A restored site compared with its manifest, one line per table and per file kind."""

    lines: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


# --- signing ---------------------------------------------------------------------------------


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sign(payload: dict[str, Any], *, salt: str = SIGNING_SALT) -> str:
    """The HMAC-SHA256 of a payload under a key derived from SECRET_KEY and `salt`."""
    return salted_hmac(salt, canonical(payload), algorithm="sha256").hexdigest()


def signature_holds(payload: dict[str, Any], signature: str, *, salt: str = SIGNING_SALT) -> bool:
    """Whether `signature` is the payload's, under SECRET_KEY or one of its fallbacks."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(
        constant_time_compare(
            salted_hmac(salt, canonical(payload), secret=key, algorithm="sha256").hexdigest(),
            signature,
        )
        for key in keys
    )


def file_digest(path: Path) -> tuple[str, int]:
    """The SHA-256 (hex) and size of a file."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# --- reading a database's state ----------------------------------------------------------------


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_state(cursor: Any, vendor: str) -> DatabaseState:
    """Every table's row count and the last migration applied per app, read with a DB-API
    cursor (of Django, of sqlite3 or of psycopg)."""
    names = table_names(cursor, vendor)
    tables = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {quoted(name)}")
        tables[name] = int(cursor.fetchone()[0])
    migrations: dict[str, str] = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            migrations[app] = name
    return DatabaseState(tables=tables, migrations=migrations)


def table_names(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
            "ESCAPE '\\' ORDER BY name"
        )
    else:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname"
        )
    return [row[0] for row in cursor.fetchall()]


def database_state(using: str = "default") -> DatabaseState:
    connection = connections[using]
    with connection.cursor() as cursor:
        return read_state(cursor, connection.vendor)


# --- PostgreSQL's tools ---------------------------------------------------------------------


def postgres_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment that points libpq's tools at a database: the password goes in
    PGPASSWORD, never on a command line another user could read."""
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    options = settings_dict.get("OPTIONS") or {}
    values["PGSSLMODE"] = options.get("sslmode")
    values["PGOPTIONS"] = options.get("options")
    for key, value in values.items():
        if value:
            env[key] = str(value)
    return env


def postgres_tool(name: str, server_major: int) -> str:
    """The path of pg_dump or pg_restore, refused when missing or older than the server."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("%(tool)s is not installed: install PostgreSQL's client tools (version %(major)d).")
            % {"tool": name, "major": server_major}
        )
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout
    found = re.search(r"\)\s*(\d+)", output)
    major = int(found.group(1)) if found else 0
    if major < server_major:
        raise BackupError(
            _(
                "%(tool)s is version %(found)s but the database server is version %(major)d: "
                "install the client tools of version %(major)d."
            )
            % {"tool": name, "found": major or "?", "major": server_major}
        )
    return path


def server_major(cursor: Any) -> int:
    cursor.execute("SHOW server_version_num")
    return int(cursor.fetchone()[0]) // 10000


def run_tool(arguments: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(arguments, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(arguments[0]).name, "error": done.stderr.strip()[-2000:]}
        )


# --- backup --------------------------------------------------------------------------------------


def backup(out: Path, *, using: str = "default") -> dict[str, Any]:
    """Write a backup of the database `using` and of MEDIA_ROOT into the folder `out`
    (new, or empty); returns the manifest. The manifest is written last: a folder without
    one is an unfinished backup, and restore refuses it."""
    connection = connections[using]
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(_("%(path)s is not an empty folder.") % {"path": out})
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if out.resolve().is_relative_to(media_root):
        raise BackupError(
            _("%(path)s is inside the stored files' folder %(media)s: choose a folder outside it.")
            % {"path": out, "media": media_root}
        )
    out.mkdir(parents=True, exist_ok=True)
    database_file = out / DATABASE_FILES[connection.vendor]
    if connection.vendor == "sqlite":
        state = _backup_sqlite(connection, database_file)
    else:
        state = _backup_postgres(connection, database_file)
    media = copy_tree(Path(settings.MEDIA_ROOT), out / MEDIA)
    digest, size = file_digest(database_file)
    payload = {
        "format": FORMAT,
        "created_at": clock.now().isoformat(),
        "database": {
            "vendor": connection.vendor,
            "file": database_file.name,
            "sha256": digest,
            "size": size,
        },
        "migrations": state.migrations,
        "tables": state.tables,
        "media": media,
    }
    document = {"manifest": payload, "signature": sign(payload)}
    (out / MANIFEST).write_text(
        json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
    )
    return payload


def _backup_sqlite(connection: BaseDatabaseWrapper, target: Path) -> DatabaseState:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    reader = sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True)
    try:
        return read_state(reader.cursor(), "sqlite")
    finally:
        reader.close()


def _backup_postgres(connection: BaseDatabaseWrapper, target: Path) -> DatabaseState:
    # A connection of its own, outside any transaction the caller holds: the snapshot it
    # exports is the one pg_dump dumps, and the counts are read in it.
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            tool = postgres_tool("pg_dump", server_major(cursor))
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            state = read_state(cursor, "postgresql")
            run_tool(
                [
                    tool,
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                postgres_environment(connection.settings_dict),
            )
            cursor.execute("COMMIT")
    finally:
        raw.close()
    return state


def media_files(root: Path) -> Iterator[Path]:
    """The regular files under `root`, in a stable order (links are not followed)."""
    if not root.is_dir():
        return
    for folder, subfolders, files in os.walk(root):
        subfolders.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path


def copy_tree(source: Path, target: Path) -> dict[str, dict[str, Any]]:
    """Copy the files under `source` to `target`; returns {relative path: {sha256, size}} of
    the copies."""
    found: dict[str, dict[str, Any]] = {}
    target.mkdir(parents=True, exist_ok=True)
    for path in media_files(source):
        relative = path.relative_to(source).as_posix()
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        digest, size = file_digest(destination)
        found[relative] = {"sha256": digest, "size": size}
    return found


# --- restore --------------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of the backup in `source`, refused unless its signature holds."""
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(
            _("%(path)s holds no manifest: it is not a finished backup.") % {"path": source}
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        payload, signature = document["manifest"], document["signature"]
    except (ValueError, KeyError, TypeError):
        raise BackupError(_("The backup's manifest cannot be read.")) from None
    if not isinstance(payload, dict) or not isinstance(signature, str):
        raise BackupError(_("The backup's manifest cannot be read."))
    if not signature_holds(payload, signature):
        raise BackupError(
            _(
                "The backup's manifest is not signed by this site's key: it was changed, or "
                "made by another site. Nothing was restored."
            )
        )
    if payload.get("format") != FORMAT:
        raise BackupError(_("This backup's format is not one this version reads."))
    return payload


def verify_files(source: Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest names is there with its hash and size, and no other."""
    database = manifest["database"]
    problems = list(_file_problems(source, {database["file"]: database}, "")) + list(
        _file_problems(source / MEDIA, manifest["media"], MEDIA + "/")
    )
    listed = set(manifest["media"])
    extra = [
        path.relative_to(source / MEDIA).as_posix()
        for path in media_files(source / MEDIA)
        if path.relative_to(source / MEDIA).as_posix() not in listed
    ]
    problems += [
        _("%(file)s is not in the manifest") % {"file": f"{MEDIA}/{name}"} for name in extra
    ]
    if problems:
        raise BackupError(
            _("The backup does not match its manifest; nothing was restored: %(problems)s")
            % {"problems": "；".join(problems[:20])}
        )


def _file_problems(root: Path, expected: dict[str, Any], prefix: str) -> Iterable[str]:
    for name, facts in sorted(expected.items()):
        path = root / name
        if not path.is_file():
            yield _("%(file)s is missing") % {"file": prefix + name}
            continue
        digest, size = file_digest(path)
        if digest != facts["sha256"] or size != facts["size"]:
            yield _("%(file)s has changed") % {"file": prefix + name}


def refuse_unless_empty(using: str = "default") -> None:
    """An empty target: a database with no table at all (a new PostgreSQL database, a SQLite
    file not yet made or with no table) and a media folder with no file."""
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = table_names(cursor, connection.vendor)
    if tables:
        raise BackupError(
            _(
                "The database %(name)s is not empty (%(count)d tables): restore only into a new, "
                "empty database."
            )
            % {"name": connection.settings_dict["NAME"], "count": len(tables)}
        )
    if next(media_files(Path(settings.MEDIA_ROOT)), None) is not None:
        raise BackupError(
            _("The media folder %(path)s holds files: restore only into an empty one.")
            % {"path": settings.MEDIA_ROOT}
        )


def restore(source: Path, *, using: str = "default") -> Comparison:
    """Restore the backup in `source` into the empty database `using` and MEDIA_ROOT, then
    compare what is there with the manifest."""
    manifest = read_manifest(source)
    verify_files(source, manifest)
    connection = connections[using]
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _("This is a backup of a %(backup)s database; the target is %(target)s.")
            % {"backup": vendor, "target": connection.vendor}
        )
    refuse_unless_empty(using)
    database_file = source / manifest["database"]["file"]
    if vendor == "sqlite":
        _restore_sqlite(connection, database_file)
    else:
        _restore_postgres(connection, database_file)
    copied = copy_tree(source / MEDIA, Path(settings.MEDIA_ROOT))
    return compare(manifest, database_state(using), copied)


def _restore_sqlite(connection: BaseDatabaseWrapper, database_file: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(f"{database_file.as_uri()}?mode=ro", uri=True)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()


def _restore_postgres(connection: BaseDatabaseWrapper, database_file: Path) -> None:
    with connection.cursor() as cursor:
        tool = postgres_tool("pg_restore", server_major(cursor))
    run_tool(
        [
            tool,
            "--no-owner",
            "--no-privileges",
            "--no-password",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(database_file),
        ],
        postgres_environment(connection.settings_dict),
    )


def compare(
    manifest: dict[str, Any], state: DatabaseState, media: dict[str, dict[str, Any]]
) -> Comparison:
    result = Comparison()
    expected: dict[str, int] = manifest["tables"]
    for name in sorted(set(expected) | set(state.tables)):
        want, found = expected.get(name), state.tables.get(name)
        line = f"{name}: {_count(want)} → {_count(found)}"
        if want != found:
            result.mismatches.append(line)
            line += "  ✗"
        result.lines.append(line)
    if state.migrations != manifest["migrations"]:
        result.mismatches.append(_("migrations differ"))
    result.lines.append(
        _("Migrations: %(count)d apps, %(verdict)s")
        % {
            "count": len(state.migrations),
            "verdict": _("as in the manifest")
            if state.migrations == manifest["migrations"]
            else _("different from the manifest"),
        }
    )
    files_match = media == manifest["media"]
    if not files_match:
        result.mismatches.append(_("stored files differ"))
    result.lines.append(
        _("Stored files: %(count)d, %(verdict)s")
        % {
            "count": len(media),
            "verdict": _("as in the manifest") if files_match else _("different from the manifest"),
        }
    )
    return result


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)

"""Backup and restore (docs/deployment.md, "Backup and restore"): the drill, on the database
the suite runs on (SQLite, or PostgreSQL when DATABASE_URL says so).

The city of tiaodu.testing and two stored files are committed (`transactional_db`: pg_dump
reads from a connection of its own), `manage.py backup` writes them to a folder, and
`manage.py restore` runs in a process of its own pointed at a new, empty database (a SQLite
file, or a PostgreSQL database made for the test) and a new media folder. The test then
counts every table of both databases and hashes every file of both folders itself.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from tiaodu.core.backup import BackupError, postgres_tool
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.tests.media_files import encode, scene

PHOTO = "reports/2026/11/3-1-现场.jpg"
MINUTES = "documents/2026/11/会议纪要.pdf"


@pytest.fixture
def site(transactional_db: None, world: Any, media_root: Path) -> Any:
    """The city, committed, with a photo and a document among its stored files."""
    default_storage.save(PHOTO, ContentFile(encode(scene(1), "JPEG")))
    default_storage.save(MINUTES, ContentFile(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"))
    return world


class Target:
    """A new, empty database (and the means to read it without Django), a media folder and
    a cache folder (TIAODU_CACHE_DIR: a cache that outlives the process)."""

    def __init__(self, url: str, media: Path, open_cursor: Any) -> None:
        self.url, self.media, self.open_cursor = url, media, open_cursor
        self.cache = media.parent / "restored-cache"

    def manage(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "TIAODU_MEDIA_ROOT": str(self.media),
            "TIAODU_CACHE_DIR": str(self.cache),
            "TIAODU_SECRET_KEY": settings.SECRET_KEY,
        }
        return subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def counts(self) -> dict[str, int]:
        with self.open_cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite%' ORDER BY name"
                )
            else:
                cursor.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
                )
            names = [row[0] for row in cursor.fetchall()]
            found = {}
            for name in names:
                cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
                found[name] = cursor.fetchone()[0]
            return found


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Target]:
    media = tmp_path / "restored-media"
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        class SqliteCursor:
            def __enter__(self) -> Any:
                self.db = sqlite3.connect(path)
                return self.db.cursor()

            def __exit__(self, *exc: object) -> None:
                self.db.close()

        yield Target(f"sqlite:///{path}", media, SqliteCursor)
        return

    import psycopg
    from psycopg import sql

    params = connection.settings_dict
    name = f"{params['NAME']}_restored"
    server: dict[str, Any] = {
        "host": params["HOST"] or None,
        "port": params["PORT"] or None,
        "user": params["USER"] or None,
        "password": params["PASSWORD"] or None,
    }
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    user = quote(params["USER"] or "", safe="")
    password = f":{quote(params['PASSWORD'], safe='')}" if params["PASSWORD"] else ""
    url = f"postgres://{user}{password}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"

    class PostgresCursor:
        def __enter__(self) -> Any:
            self.db = psycopg.connect(dbname=name, autocommit=True, **server)
            return self.db.cursor()

        def __exit__(self, *exc: object) -> None:
            self.db.close()

    yield Target(url, media, PostgresCursor)
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(drop)


def source_counts() -> dict[str, int]:
    found = {}
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names()):
            cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
            found[name] = cursor.fetchone()[0]
    return found


def hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_the_drill_restores_every_row_and_every_file(site, media_root, target, tmp_path):
    before = source_counts()
    files = hashes(media_root)
    assert before["core_auditevent"] > 0
    assert before["accounts_user"] > 10
    assert set(files) == {PHOTO, MINUTES}

    call_command("backup", out=str(tmp_path / "backup"), stdout=StringIO())

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())["manifest"]
    assert manifest["tables"] == before
    assert manifest["database"]["vendor"] == connection.vendor
    applied = MigrationRecorder(connection).migration_qs.order_by("id")
    assert manifest["migrations"] == {row.app: row.name for row in applied}
    assert {name: facts["sha256"] for name, facts in manifest["media"].items()} == files
    # The backup is audited; its own event is not in the copy.
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert event.action == AuditAction.BACKUP
    assert event.channel == "command"

    # What the cache kept before was of another site: the restore empties it.
    kept = FileBasedCache(str(target.cache), {})
    kept.set("figures:before", {"projects": 1})
    done = target.manage("restore", str(tmp_path / "backup"))

    assert done.returncode == 0, done.stderr
    assert kept.get("figures:before") is None
    restored = target.counts()
    # Every table, every row; the restore then writes its own audit event.
    assert restored == {**before, "core_auditevent": before["core_auditevent"] + 1}
    assert hashes(target.media) == files
    assert "core_auditevent" in done.stdout


def test_a_changed_manifest_or_file_is_refused_before_anything_is_touched(site, target, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup", out=str(backup), stdout=StringIO())
    manifest_path = backup / "manifest.json"
    genuine = manifest_path.read_text()

    document = json.loads(genuine)
    document["manifest"]["tables"]["accounts_user"] += 1
    manifest_path.write_text(json.dumps(document))
    done = target.manage("restore", str(backup))
    assert done.returncode != 0
    assert "签名" in done.stderr

    manifest_path.write_text(genuine)
    photo = backup / "media" / PHOTO
    photo.write_bytes(photo.read_bytes()[:-1] + b"\0")
    done = target.manage("restore", str(backup))
    assert done.returncode != 0
    assert f"media/{PHOTO}" in done.stderr

    assert target.counts() == {}
    assert not target.media.exists() or not any(target.media.rglob("*"))


def test_a_database_that_is_not_empty_is_refused(site, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup", out=str(backup), stdout=StringIO())
    before = source_counts()

    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(backup))

    assert source_counts() == before


def test_a_media_folder_with_files_is_refused(site, target, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup", out=str(backup), stdout=StringIO())
    target.media.mkdir()
    (target.media / "left-over.txt").write_text("x")

    done = target.manage("restore", str(backup))

    assert done.returncode != 0
    assert "媒体文件夹" in done.stderr
    assert target.counts() == {}


def test_a_backup_goes_only_into_a_new_or_empty_folder(transactional_db, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")
    with pytest.raises(CommandError, match="不是空文件夹"):
        call_command("backup", out=str(tmp_path / "old"))


def test_a_backup_does_not_go_inside_the_stored_files(transactional_db, media_root):
    """It would copy itself into itself."""
    with pytest.raises(CommandError, match="存储文件的文件夹"):
        call_command("backup", out=str(media_root / "backups" / "today"))
    assert not (media_root / "backups").exists()


def test_missing_or_old_postgresql_tools_are_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_dump"):
        postgres_tool("pg_dump", 15)

    old = tmp_path / "pg_dump"
    old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.9'\n")
    old.chmod(0o755)
    with pytest.raises(BackupError, match="14"):
        postgres_tool("pg_dump", 15)

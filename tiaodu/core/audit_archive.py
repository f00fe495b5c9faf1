"""Retention and archive of the audit log (DOMAIN.md §9, docs/security.md).

Events are kept at least `TIAODU_AUDIT_RETENTION_DAYS` days, never fewer than 180 whatever
the setting says. `archive_audit(before=D, out=FILE)` takes the events dated before the
start of day D (in the site's time), D being at least that many days before today (the
service clock), and:

1. writes them, oldest first, as JSON lines into the gzip file FILE, and beside it
   `FILE.sig`: what the archive holds (events, first and last id and time, the cut-off
   date, the file's SHA-256 and size) signed with an HMAC under a key derived from
   SECRET_KEY;
2. reads the archive back and checks it: signature, hash, and the very ids it was given;
3. deletes exactly those rows, the one delete the database lets through
   (`audit_guard.deletes_allowed`), in the transaction that read them, and records the
   archive as an audit event of its own.

Anything failing after the files are written removes them and deletes nothing.
`verify_archive(FILE)` checks an archive and its signature file on their own.
"""

import datetime as dt
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from tiaodu.core import audit, clock
from tiaodu.core.audit_guard import deletes_allowed
from tiaodu.core.backup import file_digest, sign, signature_holds
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.scoping import Someone

MINIMUM_RETENTION_DAYS = 180
FORMAT = 1
SIGNING_SALT = "tiaodu.core.audit_archive"
FIELDS = [field.attname for field in AuditEvent._meta.concrete_fields]
BATCH = 500


class ArchiveError(Exception):
    """An archive refused, or one that does not verify; the message says why."""


@dataclass(frozen=True)
class Archive:
    """What an archive holds, as its signature file says (and verification confirmed)."""

    path: Path
    events: int
    first_id: int | None
    last_id: int | None
    first_at: str
    last_at: str
    before: str


def retention_days() -> int:
    return max(MINIMUM_RETENTION_DAYS, int(settings.TIAODU_AUDIT_RETENTION_DAYS))


def latest_cutoff() -> dt.date:
    """The latest date before which events may be archived: today minus the retention."""
    return clock.today() - dt.timedelta(days=retention_days())


def signature_path(path: Path) -> Path:
    return path.with_name(path.name + ".sig")


def archive_audit(*, actor: Someone, before: dt.date, out: Path) -> Archive:
    """Archive the events dated before `before` into `out` and prune them (module doc)."""
    latest = latest_cutoff()
    if before > latest:
        raise ArchiveError(
            _(
                "Audit events are kept %(days)d days: archive only before %(latest)s or an "
                "earlier date, not %(date)s."
            )
            % {"days": retention_days(), "latest": latest.isoformat(), "date": before.isoformat()}
        )
    sig = signature_path(out)
    for path in (out, sig):
        if path.exists():
            raise ArchiveError(
                _("%(path)s exists already: an archive is never overwritten.") % {"path": path}
            )
    if not out.parent.is_dir():
        raise ArchiveError(_("The folder %(path)s does not exist.") % {"path": out.parent})
    cutoff = clock.aware(before)
    written = False
    try:
        with transaction.atomic():
            rows = list(
                AuditEvent.objects.filter(at__lt=cutoff).order_by("at", "id").values(*FIELDS)
            )
            if not rows:
                return Archive(out, 0, None, None, "", "", before.isoformat())
            written = True
            archive = _write(rows, out, sig, before)
            ids = [row["id"] for row in rows]
            if _ids_in(out) != ids:
                raise ArchiveError(_("The archive read back does not hold the events written."))
            _prune(ids)
            with audit.in_site_language():
                message = _("%(count)d audit events before %(date)s archived to %(file)s") % {
                    "count": archive.events,
                    "date": before.isoformat(),
                    "file": out.name,
                }
            audit.record(
                actor=actor, action=AuditAction.ARCHIVE, object_label=out.name, message=message
            )
    except BaseException:
        # Nothing was deleted: an archive of events still in the log is not left behind.
        if written:
            out.unlink(missing_ok=True)
            sig.unlink(missing_ok=True)
        raise
    return archive


def _write(rows: list[dict[str, Any]], out: Path, sig: Path, before: dt.date) -> Archive:
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(_plain(row), ensure_ascii=False, sort_keys=True) + "\n")
    digest, size = file_digest(out)
    payload = {
        "format": FORMAT,
        "file": out.name,
        "sha256": digest,
        "size": size,
        "events": len(rows),
        "first_id": rows[0]["id"],
        "last_id": rows[-1]["id"],
        "first_at": rows[0]["at"].isoformat(),
        "last_at": rows[-1]["at"].isoformat(),
        "before": before.isoformat(),
        "created_at": clock.now().isoformat(),
    }
    document = {"archive": payload, "signature": sign(payload, salt=SIGNING_SALT)}
    sig.write_text(json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    return verify_archive(out)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, dt.datetime) else value
        for key, value in row.items()
    }


def _ids_in(path: Path) -> list[int]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line)["id"] for line in handle]


def _prune(ids: list[int]) -> None:
    deleted = 0
    with deletes_allowed(connection), connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM core_auditevent WHERE id IN ({marks})", chunk)
            deleted += cursor.rowcount
    if deleted != len(ids):
        raise ArchiveError(_("The audit log changed while it was archived; nothing was pruned."))


def verify_archive(path: Path) -> Archive:
    """The archive at `path`, checked against its signature file `path.sig`: the signature
    (under SECRET_KEY or a fallback), the file's hash and size, and its events."""
    sig = signature_path(path)
    if not path.is_file() or not sig.is_file():
        raise ArchiveError(
            _("%(path)s or its signature file %(sig)s is missing.")
            % {"path": path, "sig": sig.name}
        )
    try:
        document = json.loads(sig.read_text("utf-8"))
        payload, signature = document["archive"], document["signature"]
        if not isinstance(payload, dict) or not isinstance(signature, str):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise ArchiveError(
            _("The signature file %(sig)s cannot be read.") % {"sig": sig.name}
        ) from None
    if not signature_holds(payload, signature, salt=SIGNING_SALT):
        raise ArchiveError(
            _("The signature of %(path)s does not hold: the archive's description was changed.")
            % {"path": path.name}
        )
    digest, size = file_digest(path)
    if digest != payload.get("sha256") or size != payload.get("size"):
        raise ArchiveError(
            _("%(path)s is not the file its signature describes: it was changed.")
            % {"path": path.name}
        )
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            events = [json.loads(line) for line in handle]
    except (OSError, ValueError):
        raise ArchiveError(_("%(path)s cannot be read.") % {"path": path.name}) from None
    ids = [event["id"] for event in events]
    if (
        len(events) != payload["events"]
        or not events
        or ids[0] != payload["first_id"]
        or ids[-1] != payload["last_id"]
    ):
        raise ArchiveError(
            _("%(path)s does not hold the events its signature describes.") % {"path": path.name}
        )
    return Archive(
        path=path,
        events=len(events),
        first_id=ids[0],
        last_id=ids[-1],
        first_at=payload["first_at"],
        last_at=payload["last_at"],
        before=payload["before"],
    )

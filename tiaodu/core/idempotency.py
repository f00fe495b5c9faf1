"""Create requests done once per key: a double-clicked form, a retried API call (DESIGN.md
rule 5; docs/security.md).

A create form carries a hidden key made when it is rendered (`{% idempotency_field %}`);
an API client sends an `Idempotency-Key` header. The first request with a key claims it by
inserting an `IdempotencyKey` row (unique per user and key) in the transaction that creates
the object, and records the answer there; a request with the same key gets that answer
instead of creating again: a form is sent to what the first one made, an API call gets the
first status and body again. Two requests at once cannot both create: the second one's
insert waits for the first transaction (PostgreSQL's unique index; SQLite takes one writer
at a time), then finds the key taken and answers as the first did. A request the service
refuses claims nothing (the transaction is rolled back), so the corrected form is sent
with the same key. Keys are kept `LIFETIME` (24 hours), then pruned by the daily round of
dispatch (`prune`).
"""

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Status
from ninja.errors import HttpError

from tiaodu.core.models import IdempotencyKey

LIFETIME = dt.timedelta(hours=24)
FIELD = "idempotency_key"
HEADER = "Idempotency-Key"
KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,100}$")


@dataclass(frozen=True)
class Answer:
    """What the first request with a key answered: its status, where it sent the reader
    (a form) or the body it returned (the API)."""

    status: int
    location: str = ""
    body: Any = None


class KeyReused(ValueError):
    """The key was used by the same user for another request."""


def new_key() -> str:
    return uuid.uuid4().hex


def _live(user: Any, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(
        user=user, key=key, created_at__gt=timezone.now() - LIFETIME
    ).first()


def _replay(found: IdempotencyKey, scope: str, fingerprint: str) -> Answer:
    if found.scope != scope or found.fingerprint != fingerprint:
        raise KeyReused(found.key)
    return Answer(found.status, found.location, found.body)


def once(
    user: Any, key: str, scope: str, run: Callable[[], Answer | None], *, fingerprint: str = ""
) -> tuple[Answer | None, bool]:
    """`run()` once per user and key: (its answer, False) the first time, (the first answer,
    True) for a repeat. `run` returns None when it created nothing (a refusal shown on the
    form), which leaves the key free; an exception from it leaves the key free too."""
    for _attempt in range(2):
        found = _live(user, key)
        if found is not None:
            return _replay(found, scope, fingerprint), True
        # A key older than the lifetime, not yet pruned, is used afresh. Only such a key: a
        # request that claimed the key and committed since `_live` looked stays claimed.
        IdempotencyKey.objects.filter(
            user=user, key=key, created_at__lte=timezone.now() - LIFETIME
        ).delete()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = IdempotencyKey.objects.create(
                        user=user, key=key, scope=scope, fingerprint=fingerprint
                    )
            except IntegrityError:
                # Another request holds the key; it has committed (or rolled back) by now.
                continue
            answer = run()
            if answer is None:
                transaction.set_rollback(True)
                return None, False
            claim.status, claim.location, claim.body = answer.status, answer.location, answer.body
            claim.save(update_fields=["status", "location", "body"])
            return answer, False
    found = _live(user, key)
    if found is None:
        raise BadRequest(_("The request could not be completed; send it again."))
    return _replay(found, scope, fingerprint), True


def form_once(request: HttpRequest, scope: str, create: Callable[[], str | None]) -> str | None:
    """A create form's POST, done once per the form's key (`FIELD`): `create()` makes the
    object and returns the address to send the reader to, or None when it was refused
    (the form shows why). A repeat of the key returns the first address without creating,
    and tells the reader so. A form sent without a key is simply created."""
    key = request.POST.get(FIELD, "")
    if not key:
        return create()
    if not KEY.match(key):
        raise BadRequest(_("The form was changed in transit; reload the page and send it again."))

    def run() -> Answer | None:
        location = create()
        return None if location is None else Answer(302, location=location)

    try:
        answer, replayed = once(request.user, key, scope, run)
    except KeyReused:
        raise BadRequest(
            _("The form was changed in transit; reload the page and send it again.")
        ) from None
    if answer is None:
        return None
    if replayed:
        messages.info(request, _("This form had already been sent; here is what it created."))
    return answer.location


def _fingerprint(request: HttpRequest) -> str:
    """A digest of the request's method, address and JSON body; a multipart upload's body is
    not read again (the address and the key stand for it)."""
    digest = hashlib.sha256(f"{request.method} {request.path}".encode())
    if not (request.content_type or "").startswith("multipart/"):
        digest.update(request.body)
    return digest.hexdigest()


def api_once(request: HttpRequest, scope: str, create: Callable[[], Status[Any]]) -> Status[Any]:
    """An API POST done once per its `Idempotency-Key` header: the first call's status and
    body are recorded and returned again for the same user and key (an error answer is not
    recorded: the call can be retried with the key). Without the header, `create()` runs. A
    key sent again with another request answers 422."""
    key = request.headers.get(HEADER, "")
    if not key:
        return create()
    if not KEY.match(key):
        raise HttpError(
            400,
            _(
                "The Idempotency-Key header must be 8 to 100 letters, digits or the "
                "characters _ . : - (a UUID will do)."
            ),
        )

    def run() -> Answer:
        result = create()
        return Answer(result.status_code, body=result.value)

    try:
        answer, _replayed = once(request.user, key, scope, run, fingerprint=_fingerprint(request))
    except KeyReused:
        raise HttpError(
            422,
            _(
                "This Idempotency-Key was used for another request in the last 24 hours; "
                "send a new key with each new request."
            ),
        ) from None
    assert answer is not None
    return Status(answer.status, answer.body)


def prune(now: dt.datetime | None = None) -> int:
    """Forget the keys older than `LIFETIME`; say how many."""
    cutoff = (now or timezone.now()) - LIFETIME
    deleted, _counts = IdempotencyKey.objects.filter(created_at__lte=cutoff).delete()
    return deleted

"""Writing the audit log. Every service calls `record` inside its transaction."""

import datetime as dt
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone, translation

from tiaodu.core import bulk, clock, context
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.scoping import Someone

Snapshot = dict[str, str]
# Bookkeeping, and secrets that must never reach the log (password hashes).
NEVER_AUDITED = frozenset({"id", "created_at", "updated_at", "password", "last_login"})


def display_value(instance: models.Model, field: models.Field[Any, Any]) -> str:
    """A field's value as a person reads it: labels for choices, names for relations."""
    if field.many_to_many:
        if instance.pk is None:
            return ""
        return "；".join(sorted(str(obj) for obj in getattr(instance, field.name).all()))
    if field.is_relation:
        related = getattr(instance, field.name)
        return "" if related is None else str(related)
    value = getattr(instance, field.attname)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal | int | float) and isinstance(field, models.DecimalField):
        return f"{Decimal(value):.{field.decimal_places}f}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def in_site_language() -> AbstractContextManager[None]:
    """Audit text is written in the site's language, whatever language the actor reads
    (nothing to switch when it is already the active one, as in a bulk import's loop)."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return nullcontext()
    return translation.override(settings.LANGUAGE_CODE)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> Snapshot:
    """The audited fields of an instance, as display strings in the site's language."""
    with in_site_language():
        return _snapshot(instance, fields)


def _snapshot(instance: models.Model, fields: list[str] | None) -> Snapshot:
    readers = _readers(type(instance), tuple(fields) if fields is not None else None)
    return {name: read(instance) for name, read in readers}


# The audited fields of a model (or of a list of its fields) with how each is read, by
# language: computed once, so that a snapshot of many instances (a bulk import) reads
# values, not the model's options and choices, per instance.
_READERS: dict[tuple[type[models.Model], tuple[str, ...] | None, str | None], Any] = {}


def _readers(model: type[models.Model], fields: tuple[str, ...] | None) -> list[tuple[str, Any]]:
    key = (model, fields, translation.get_language())
    found = _READERS.get(key)
    if found is None:
        found = _READERS[key] = [
            (field.name, _reader(field))
            for field in model._meta.get_fields()
            if (getattr(field, "concrete", False) or getattr(field, "many_to_many", False))
            and not getattr(field, "auto_created", False)
            and field.name not in NEVER_AUDITED
            and (fields is None or field.name in fields)
            and isinstance(field, models.Field)
        ]
    return found


def _reader(field: models.Field[Any, Any]) -> Any:
    """`display_value` for one field, with its choices' labels looked up once, a text
    taken as it is, and a relation read from the instance's cache when it holds it."""
    attname = field.attname
    if field.many_to_many:
        return lambda instance: display_value(instance, field)
    if field.is_relation:
        cache_name = field.cache_name  # type: ignore[attr-defined]

        def related(instance: models.Model) -> str:
            cache = instance._state.fields_cache
            if cache_name in cache:
                value = cache[cache_name]
                return "" if value is None else str(value)
            if getattr(instance, attname) is None:
                return ""
            return display_value(instance, field)

        return related
    if not field.choices:
        # The type display_value writes quickest: an amount with the field's places, a day.
        quick: type = str
        places = "{:.%df}" % (getattr(field, "decimal_places", 0) or 0)  # noqa: UP031
        if isinstance(field, models.DecimalField):
            quick = Decimal
        elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            quick = dt.date

        def plain(instance: models.Model) -> str:
            value = getattr(instance, attname)
            if value is None:
                return ""
            kind = type(value)
            if kind is str:
                return value
            if kind is quick:
                return places.format(value) if quick is Decimal else value.isoformat()
            return display_value(instance, field)

        return plain
    labels = {value: str(label) for value, label in dict(field.flatchoices).items()}

    def read(instance: models.Model) -> str:
        value = getattr(instance, attname)
        if value is None or value == "":
            return ""
        return labels[value] if value in labels else str(value)

    return read


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[str]]:
    """The fields that changed, as {field: [before, after]}."""
    if not before:  # a creation: every field with a value
        return {key: ["", value] for key, value in after.items() if value != ""}
    keys = list(dict.fromkeys([*before, *after]))
    return {
        key: [before.get(key, ""), after.get(key, "")]
        for key in keys
        if before.get(key, "") != after.get(key, "")
    }


def object_type(instance_or_model: models.Model | type[models.Model]) -> str:
    return instance_or_model._meta.label_lower


def build_event(
    *,
    actor: Someone,
    action: str,
    instance: models.Model | None = None,
    changes: dict[str, list[str]] | None = None,
    parent: models.Model | None = None,
    success: bool = True,
    message: str = "",
    actor_name: str = "",
    object_label: str = "",
) -> AuditEvent:
    """One audit event, not yet saved, with the source address and channel of the context,
    dated by the clock (`core.clock`: now, or the moment a replay of the past set)."""
    values = event_values(
        actor=actor,
        action=action,
        instance=instance,
        changes=changes,
        parent=parent,
        success=success,
        message=message,
        actor_name=actor_name,
        object_label=object_label,
    )
    # Positionally, in the fields' order: Django's quick way to make an instance.
    return AuditEvent(None, *[values[name] for name in _event_fields()[1:]])  # type: ignore[misc]


def event_values(
    *,
    actor: Someone,
    action: str,
    instance: models.Model | None = None,
    changes: dict[str, list[str]] | None = None,
    parent: models.Model | None = None,
    success: bool = True,
    message: str = "",
    actor_name: str = "",
    object_label: str = "",
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    """What `build_event` makes, as the values of the event's columns (by attname), for
    `record_values`: a bulk import writes tens of thousands without making an instance of
    each. `at`: the moment, by default the clock's now."""
    ctx = context.current()
    with in_site_language():
        label = object_label or (str(instance) if instance is not None else "")
    user = actor if actor is not None and actor.is_authenticated else None
    return {
        "at": at or clock.now(),
        "actor_id": user.pk if user is not None else None,
        "actor_name": actor_name or (user.get_username() if user is not None else "") or "system",
        "action": action,
        "object_type": object_type(instance) if instance is not None else "",
        "object_id": str(instance.pk) if instance is not None and instance.pk is not None else "",
        "object_repr": str(label)[:255],
        "parent_type": object_type(parent) if parent is not None else "",
        "parent_id": str(parent.pk) if parent is not None else "",
        "changes": changes or {},
        "success": success,
        "message": str(message)[:255],
        "source_address": ctx.source_address,
        "channel": ctx.channel,
    }


def _event_fields() -> list[str]:
    global _EVENT_FIELDS
    if _EVENT_FIELDS is None:
        _EVENT_FIELDS = [field.attname for field in AuditEvent._meta.concrete_fields]
    return _EVENT_FIELDS


_EVENT_FIELDS: list[str] | None = None


def record(
    *,
    actor: Someone,
    action: str,
    instance: models.Model | None = None,
    changes: dict[str, list[str]] | None = None,
    parent: models.Model | None = None,
    success: bool = True,
    message: str = "",
    actor_name: str = "",
    object_label: str = "",
) -> AuditEvent:
    """Append one audit event, with the source address of the current request."""
    event = build_event(
        actor=actor,
        action=action,
        instance=instance,
        changes=changes,
        parent=parent,
        success=success,
        message=message,
        actor_name=actor_name,
        object_label=object_label,
    )
    event.save(force_insert=True)
    return event


def record_many(events: list[AuditEvent]) -> None:
    """Append many events built by `build_event` at once (bulk imports; in a transaction)."""
    bulk.insert(AuditEvent, events)


def record_values(events: Iterable[dict[str, Any]]) -> None:
    """Append many events made by `event_values` at once (bulk imports; in a transaction),
    a batch at a time: a generator of events is never held whole."""
    bulk.insert_rows(AuditEvent, events)


def record_create(
    *, actor: Someone, instance: models.Model, parent: models.Model | None = None
) -> None:
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=instance,
        parent=parent,
        changes=diff({}, snapshot(instance)),
    )


def record_update(
    *,
    actor: Someone,
    instance: models.Model,
    before: Snapshot,
    parent: models.Model | None = None,
) -> bool:
    """Record an update if anything changed; say whether it did."""
    changes = diff(before, snapshot(instance))
    if not changes:
        return False
    record(
        actor=actor, action=AuditAction.UPDATE, instance=instance, parent=parent, changes=changes
    )
    return True


def record_delete(
    *, actor: Someone, instance: models.Model, parent: models.Model | None = None
) -> None:
    record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=instance,
        parent=parent,
        changes=diff(snapshot(instance), {}),
    )

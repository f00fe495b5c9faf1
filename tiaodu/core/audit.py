"""Writing the audit log. Every service calls `record` inside its transaction."""

import datetime as dt
import json
import operator
from collections.abc import Iterable, Sequence
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


def _readers(
    model: type[models.Model], fields: tuple[str, ...] | None, language: str | None = None
) -> list[tuple[str, Any]]:
    key = (model, fields, language or translation.get_language())
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


# The same, as readers of a field over many instances at once (`BulkEvents.created_many`).
_COLUMNS: dict[tuple[type[models.Model], tuple[str, ...] | None, str], Any] = {}
_NONE = type(None)


def _columns(
    model: type[models.Model], fields: tuple[str, ...] | None, language: str
) -> list[tuple[str, Any]]:
    key = (model, fields, language)
    found = _COLUMNS.get(key)
    if found is None:
        by_name = {
            field.name: field
            for field in model._meta.get_fields()
            if isinstance(field, models.Field)
        }
        found = _COLUMNS[key] = [
            (name, _column(by_name[name], read)) for name, read in _readers(model, fields, language)
        ]
    return found


def _related_column(field: models.Field[Any, Any], read: Any) -> Any:
    """A relation's column: the related object's text, once per object the instances hold
    (a batch shares a few regions and units); an instance without it cached, as `read`."""
    cache_name = field.cache_name  # type: ignore[attr-defined]

    def related(instances: Sequence[models.Model]) -> list[str]:
        shown: dict[int, str] = {}
        texts = []
        for instance in instances:
            cache = instance._state.fields_cache
            if cache_name not in cache:
                texts.append(read(instance))
                continue
            value = cache[cache_name]
            if value is None:
                texts.append("")
                continue
            text = shown.get(id(value))
            if text is None:
                text = shown[id(value)] = str(value)
            texts.append(text)
        return texts

    return related


def _column(field: models.Field[Any, Any], read: Any) -> Any:
    """`[read(instance) for instance in instances]`, quicker for a column of texts, amounts,
    days or choices: the values taken at once, each kind written as `read` writes it."""
    if field.many_to_many:
        return lambda instances: [read(instance) for instance in instances]
    if field.is_relation:
        return _related_column(field, read)
    value_of = operator.attrgetter(field.attname)
    if field.choices:
        labels = {value: str(label) for value, label in dict(field.flatchoices).items()}

        def chosen(instances: Sequence[models.Model]) -> list[str]:
            return [
                "" if v is None or v == "" else labels[v] if v in labels else str(v)
                for v in map(value_of, instances)
            ]

        return chosen
    places = "{:.%df}" % (getattr(field, "decimal_places", 0) or 0)  # noqa: UP031
    quick: type = str
    if isinstance(field, models.DecimalField):
        quick = Decimal
    elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        quick = dt.date

    def plain(instances: Sequence[models.Model]) -> list[str]:
        values = list(map(value_of, instances))
        kinds = set(map(type, values))
        kinds.discard(_NONE)
        if kinds <= {str}:
            return ["" if v is None else v for v in values]
        if kinds == {quick} and quick is Decimal:
            return ["" if v is None else places.format(v) for v in values]
        if kinds == {quick}:
            return ["" if v is None else v.isoformat() for v in values]
        return [read(instance) for instance in instances]

    return plain


# A text as `json.dumps` writes it (ASCII, escaped), without its per-call checks.
_quoted = json.encoder.encode_basestring_ascii


def with_change(document: bulk.JSONText, name: str, pair: list[str]) -> bulk.JSONText:
    """A document of `created_documents` with one more change at its end."""
    added = json.dumps(name) + ": " + json.dumps(pair)
    if document == "{}":
        return bulk.JSONText("{" + added + "}")
    return bulk.JSONText(document[:-1] + ", " + added + "}")


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


class BulkEvents:
    """Many events by one actor at one moment (a bulk import), as the column values
    `event_values` makes, with the actor, the context and the language looked up once, not
    per event, and a creation's changes read straight from the instance (what `diff({},
    snapshot(instance))` gives). Make and use it inside `in_site_language()`."""

    def __init__(self, actor: Someone, at: dt.datetime) -> None:
        ctx = context.current()
        user = actor if actor is not None and actor.is_authenticated else None
        self.common: dict[str, Any] = {
            "at": at,
            "actor_id": user.pk if user is not None else None,
            "actor_name": (user.get_username() if user is not None else "") or "system",
            "success": True,
            "message": "",
            "source_address": ctx.source_address,
            "channel": ctx.channel,
        }
        self.language = translation.get_language()

    def event(
        self,
        action: str,
        instance: models.Model,
        changes: dict[str, list[str]] | bulk.JSONText,
        parent: models.Model | None = None,
    ) -> dict[str, Any]:
        event = self.common.copy()
        event["action"] = action
        event["object_type"] = instance._meta.label_lower
        event["object_id"] = "" if instance.pk is None else str(instance.pk)
        event["object_repr"] = str(instance)[:255]
        event["parent_type"] = "" if parent is None else parent._meta.label_lower
        event["parent_id"] = "" if parent is None else str(parent.pk)
        event["changes"] = changes
        return event

    def snapshot(self, instance: models.Model, fields: tuple[str, ...] | None = None) -> Snapshot:
        readers = _readers(type(instance), fields, self.language)
        return {name: read(instance) for name, read in readers}

    def created_many(
        self, instances: Sequence[models.Model], fields: tuple[str, ...] | None = None
    ) -> list[dict[str, list[str]]]:
        """`diff({}, snapshot(instance, fields))` of each of many instances of one model
        (every audited field with a value), read field by field."""
        if not instances:
            return []
        columns = _columns(type(instances[0]), fields, self.language)
        if not columns:
            return [{} for _instance in instances]
        names = [name for name, _column in columns]
        values = zip(*[column(instances) for _name, column in columns], strict=True)
        return [
            {name: ["", value] for name, value in zip(names, row, strict=True) if value}
            for row in values
        ]

    def created_documents(
        self, instances: Sequence[models.Model], fields: tuple[str, ...] | None = None
    ) -> list[bulk.JSONText]:
        """`created_many` as the JSON documents stored (`json.dumps` of each), written
        field by field: each value escaped once, the empty ones left out."""
        if not instances:
            return []
        parts = []
        for name, column in _columns(type(instances[0]), fields, self.language):
            head = json.dumps(name) + ': ["", '
            values = column(instances)
            parts.append(
                [
                    head + text + "]" if value else ""
                    for value, text in zip(values, map(_quoted, values), strict=True)
                ]
            )
        if not parts:
            return [bulk.JSONText("{}") for _instance in instances]
        return [
            bulk.JSONText("{" + ", ".join(filter(None, row)) + "}")
            for row in zip(*parts, strict=True)
        ]

    def created(self, instance: models.Model, parent: models.Model | None = None) -> dict[str, Any]:
        document = self.created_documents([instance])[0]
        return self.event(AuditAction.CREATE, instance, document, parent)


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

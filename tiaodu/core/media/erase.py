"""Residual information (GB/T 22239-2019 8.1.4.10, docs/security.md): when a row holding
stored files is deleted — a photo taken off a draft report, a comment's attachment, a
bulletin — its files are erased from storage once the deletion is committed, so that no
copy of what the row held outlives it. A rolled-back deletion keeps its files, and a file
another row still names (an amendment carries its report's photos) is kept.

Connected at start-up (core's AppConfig) to every model with a FileField, and to those only:
a model without files keeps Django's fast bulk deletes."""

from functools import partial
from typing import Any

from django.apps import apps
from django.db import models, router, transaction
from django.db.models.signals import post_delete


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def erase_files(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """After the deleting transaction commits, delete the row's files from their storage."""
    using = kwargs.get("using") or router.db_for_write(sender)
    for field in file_fields(sender):
        stored = getattr(instance, field.attname)
        if stored and stored.name:
            erase = partial(_erase_unless_named, sender, field, stored.storage, stored.name)
            transaction.on_commit(erase, using=using)


def _erase_unless_named(
    model: type[models.Model], field: models.FileField, storage: Any, name: str
) -> None:
    if not model._default_manager.filter(**{field.name: name}).exists():
        storage.delete(name)


def connect() -> None:
    for model in apps.get_models():
        if not model._meta.abstract and file_fields(model):
            post_delete.connect(
                erase_files, sender=model, weak=False, dispatch_uid=f"erase:{model._meta.label}"
            )

"""What an instruction can be written on: a small registry of kinds of object.

This package registers the project, the problem and the notice (`subject_kinds.py`); a
higher app (the bulletin, in `tiaodu.documents`) registers its own kind in its
AppConfig.ready(), so that supervision never imports upward. A kind says how to find an
object by its key, whether a leader reaches it (may write on it), its region (the
dispatchers who follow the instruction), the unit an instruction on it goes to by default,
its title and its page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.scoping import Someone


@dataclass(frozen=True)
class SubjectKind:
    key: str
    label: str | Promise
    model: type[models.Model]
    # (actor, obj) -> whether the actor, as a leader, may write an instruction on obj.
    leads: Callable[[Someone, Any], bool]
    region: Callable[[Any], OrgUnit]
    default_unit: Callable[[Any], OrgUnit | None]
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    # The objects' related rows the callables read, for `get`.
    select_related: tuple[str, ...] = ()

    def get(self, pk: int) -> Any | None:
        """The object with this key, whoever reads it (the callers check `leads`)."""
        found = self.model._default_manager.select_related(*self.select_related)
        return found.filter(pk=pk).first()


_kinds: dict[str, SubjectKind] = {}


def register_subject(kind: SubjectKind) -> None:
    """Add (or replace, by key) a kind of object instructions are written on."""
    _kinds[kind.key] = kind


def subject_kind(key: str) -> SubjectKind | None:
    return _kinds.get(key)


def kind_of(obj: Any) -> SubjectKind | None:
    """The registered kind of an object (by its model)."""
    return next((kind for kind in _kinds.values() if isinstance(obj, kind.model)), None)


def subject_kinds() -> list[SubjectKind]:
    return list(_kinds.values())

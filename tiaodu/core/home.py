"""The home page is made of panels that apps register (core cannot import them).

An app registers a panel in its AppConfig.ready(); the home page shows, in order, every
panel whose roles the user holds.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser

from tiaodu.core.scoping import Actor, Someone, grants_of


@dataclass(frozen=True)
class HomePanel:
    name: str
    template: str
    roles: frozenset[str]
    context: Callable[[Actor], dict[str, Any]]
    order: int = 100


_panels: dict[str, HomePanel] = {}


def register_panel(panel: HomePanel) -> None:
    """Add (or replace, by name) a panel of the home page."""
    _panels[panel.name] = panel


def panels_for(user: Actor) -> list[dict[str, Any]]:
    roles = {grant.role for grant in grants_of(user)}
    chosen = sorted((p for p in _panels.values() if p.roles & roles), key=lambda p: p.order)
    return [{"template": p.template, **p.context(user)} for p in chosen]


def home_context(user: Someone) -> dict[str, Any]:
    # The home page is behind the sign-in; the anonymous user holds no role of a panel.
    if user is None or isinstance(user, AnonymousUser):
        return {"panels": []}
    return {"panels": panels_for(user)}

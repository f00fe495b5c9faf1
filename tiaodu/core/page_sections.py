"""Sections that higher apps add to a lower app's object page (the lower app cannot import
them).

A page names itself ("problems.problem", "supervision.notice") and asks `sections_for(page,
actor, obj)` for what to show; an app registers, in its AppConfig.ready(), a section for a
page: a template and a function that reads its context for the actor and the object, or
None when the actor has nothing to see there. The page includes each template with its
context as `section`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PageSection:
    page: str
    name: str
    template: str
    # (actor, obj) -> the template's context, or None to show nothing.
    context: Callable[[Any, Any], dict[str, Any] | None]
    order: int = 100


_sections: dict[tuple[str, str], PageSection] = {}


def register_section(section: PageSection) -> None:
    """Add (or replace, by page and name) a section of an object page."""
    _sections[(section.page, section.name)] = section


def sections_for(page: str, actor: Any, obj: Any) -> list[dict[str, Any]]:
    """The sections of `page` the actor sees on `obj`, in their order, each a context with
    its `template`."""
    chosen = sorted(
        (s for s in _sections.values() if s.page == page), key=lambda s: (s.order, s.name)
    )
    shown = []
    for section in chosen:
        context = section.context(actor, obj)
        if context is not None:
            shown.append({"template": section.template, **context})
    return shown

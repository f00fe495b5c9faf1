"""Buttons that higher apps add to the report page (this app cannot import them).

An app registers, in its AppConfig.ready(), a function that gives for an actor and a report
the button to show (a label, a URL and a Tabler icon name), or None when the actor has
nothing to do there. The problem ledger registers "raise a problem from this report".
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from tiaodu.core.scoping import Actor
from tiaodu.reporting.models import Report


@dataclass(frozen=True)
class ReportLink:
    label: str | Promise
    url: str
    icon: str = "link"
    testid: str = ""


# (actor, report) -> the button, or None.
LinkMaker = Callable[[Any, Report], ReportLink | None]

_makers: dict[str, tuple[int, LinkMaker]] = {}


def register_report_link(name: str, maker: LinkMaker, order: int = 100) -> None:
    """Add (or replace, by name) a button of the report page."""
    _makers[name] = (order, maker)


def links_for(actor: Actor, report: Report) -> list[ReportLink]:
    """The buttons the registered apps show this actor on this report, in their order."""
    found = []
    for _order, maker in sorted(_makers.values(), key=lambda item: item[0]):
        link = maker(actor, report)
        if link is not None:
            found.append(link)
    return found

"""Where a notice came from, as higher apps know it (this app cannot import them).

An app registers a function in its AppConfig.ready(): given a notice, it returns what the
notice came from — a text and a link — or None. The notice's page lists what they return
("Proposed by the supervision ladder: first red card…"), so that each issued notice shows
the proposal it was issued from.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tiaodu.supervision.notices.models import Notice


@dataclass(frozen=True)
class Origin:
    label: str
    text: str
    url: str = ""


_sources: dict[str, Callable[[Notice], Origin | None]] = {}


def register_origin(name: str, source: Callable[[Notice], Origin | None]) -> None:
    """Add (or replace, by name) a source of notices' origins."""
    _sources[name] = source


def origins_of(notice: Notice) -> list[Origin]:
    return [origin for source in _sources.values() if (origin := source(notice)) is not None]

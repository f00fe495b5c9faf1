"""What other apps add to the demo city, without this app knowing them.

The projects app is below the others (they import it, never the reverse), so an app that
has its own part of the demo registers it here in its `AppConfig.ready`, as the reporting
app registers its dispatch rounds (`tiaodu.reporting.demo`). `manage.py load_demo` runs
every registered part after the library is loaded, inside the same transaction, in the
order of registration; `load_demo --without NAME` leaves one out.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tiaodu.projects.demo.spec import DemoSpec

if TYPE_CHECKING:
    from tiaodu.projects.demo.builder import Loaded


@dataclass(frozen=True)
class DemoExtension:
    """A part of the demo: `load(spec, loaded)` writes it and returns summary lines."""

    name: str
    load: "Callable[[DemoSpec, Loaded], list[str]]"


_REGISTERED: dict[str, DemoExtension] = {}


def register(extension: DemoExtension) -> None:
    """Add a part to the demo (registering the same name again replaces it)."""
    _REGISTERED[extension.name] = extension


def registered() -> tuple[DemoExtension, ...]:
    return tuple(_REGISTERED.values())

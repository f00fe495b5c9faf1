"""Who opens the map."""

from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, holds


def reads_map(actor: Someone) -> bool:
    """Dispatchers and leaders read the map, each in their own scope (as the figures)."""
    return holds(actor, Role.DISPATCHER, Role.LEADER)

"""Who opens the accounts pages that are not everyone's. The pages and the menu ask these."""

from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, holds


def unlocks_accounts(actor: Someone) -> bool:
    """The security administrator sees and lifts the sign-in locks."""
    return holds(actor, Role.SECURITY_ADMIN)


def manages_displays(actor: Someone) -> bool:
    """The security administrator creates, pairs and revokes the wall displays: each is a
    long-lived read credential, like a session it grants (DOMAIN.md §2)."""
    return holds(actor, Role.SECURITY_ADMIN)

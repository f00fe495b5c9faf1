"""Who opens the accounts pages that are not everyone's. The pages and the menu ask these."""

from tiaodu.core.roles import ADMINISTRATOR_ROLES, Role
from tiaodu.core.scoping import Someone, holds


def unlocks_accounts(actor: Someone) -> bool:
    """The security administrator sees and lifts the sign-in locks."""
    return holds(actor, Role.SECURITY_ADMIN)


def manages_displays(actor: Someone) -> bool:
    """The security administrator creates, pairs and revokes the wall displays: each is a
    long-lived read credential, like a session it grants (DOMAIN.md §2)."""
    return holds(actor, Role.SECURITY_ADMIN)


def manages_accounts(actor: Someone) -> bool:
    """The system administrator keeps the org units and the accounts (DOMAIN.md §2)."""
    return holds(actor, Role.SYSTEM_ADMIN)


def grants_roles(actor: Someone) -> bool:
    """The security administrator grants roles and their scopes (DOMAIN.md §2)."""
    return holds(actor, Role.SECURITY_ADMIN)


def opens_user_list(actor: Someone) -> bool:
    """The list of accounts: the system administrator keeps them, the security
    administrator grants their roles."""
    return manages_accounts(actor) or grants_roles(actor)


def reads_role_matrix(actor: Someone) -> bool:
    """What each role may see and do: for those who create accounts and grant roles."""
    return manages_accounts(actor) or grants_roles(actor)


def manages_sessions(actor: Someone) -> bool:
    """The security administrator lists the signed-in sessions and ends them, and revokes
    anyone's API tokens (DOMAIN.md §2)."""
    return holds(actor, Role.SECURITY_ADMIN)


def confirms_admin_actions(actor: Someone) -> bool:
    """Each of the three administrators sees the acts on administrators' accounts waiting
    for a second administrator, and confirms or refuses those they neither asked for nor
    are the object of (`accounts.confirmations`)."""
    return holds(actor, *ADMINISTRATOR_ROLES)


def resets_second_factors(actor: Someone) -> bool:
    """The security administrator removes a user's second factor (a lost phone), as they
    keep the other credentials in force (DOMAIN.md §2)."""
    return holds(actor, Role.SECURITY_ADMIN)


def sets_security_policy(actor: Someone) -> bool:
    """The security administrator sees and sets the security policy (DOMAIN.md §2); the
    other administrators do not open its page."""
    return holds(actor, Role.SECURITY_ADMIN)

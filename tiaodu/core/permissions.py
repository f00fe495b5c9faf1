"""Who opens core's pages: the audit log (the auditor's alone) and the management area (the
system administrator's). The pages and the menu ask these same checks."""

from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, holds


def reads_audit_log(actor: Someone) -> bool:
    """The auditor reads the audit log (DOMAIN.md §9); nobody else sees it."""
    return holds(actor, Role.AUDITOR)


def manages_site(actor: Someone) -> bool:
    """The system administrator works in the management area, and nobody else."""
    return holds(actor, Role.SYSTEM_ADMIN)

"""Who may do what with cards and rule sets. The pages, the menu and the services ask these
same checks."""

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, dispatcher_paths, holds


def is_site_dispatcher(actor: Someone) -> bool:
    """A dispatcher of the top region: the month's cards and the rules are the whole site's."""
    top = OrgUnit.objects.regions().filter(parent=None).first()
    return top is not None and top.path in dispatcher_paths(actor)


def may_compute_cards(actor: Someone) -> bool:
    return is_site_dispatcher(actor)


def may_change_rules(actor: Someone) -> bool:
    return is_site_dispatcher(actor)


def reads_cards(actor: Someone) -> bool:
    """Everyone with projects in scope reads the cards of those projects (the card board is
    for dispatchers and leaders; the others see their own cards on their pages)."""
    return holds(
        actor,
        Role.DISPATCHER,
        Role.LEADER,
        Role.DEPARTMENT_HANDLER,
        Role.SERVICE_OFFICER,
        Role.REPORTER,
    )


def oversees_cards(actor: Someone) -> bool:
    """Dispatchers and leaders open the card board and the rankings."""
    return holds(actor, Role.DISPATCHER, Role.LEADER)

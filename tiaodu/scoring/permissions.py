"""Who may do what with cards and rule sets. The pages, the menu and the services ask these
same checks."""

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, dispatcher_paths, holds
from tiaodu.projects.permissions import relations_to_project
from tiaodu.scoring.appeal_workflow import SITE_DISPATCHER
from tiaodu.scoring.models import Card


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


def appeal_relations(actor: Someone) -> frozenset[str]:
    """The actor's relations in the appeal workflow (`appeal_workflow`): the site's
    dispatcher decides."""
    return frozenset({SITE_DISPATCHER}) if is_site_dispatcher(actor) else frozenset()


def may_appeal(actor: Someone, card: Card) -> bool:
    """Whether the actor may appeal the card (the window and a pending appeal aside): a
    reporter of the project's owner unit, or a dispatcher of the project's district — not
    the site's dispatcher, who decides the appeals, though a district dispatcher who is
    also one of the site's still appeals as the district's."""
    related = relations_to_project(actor, card.project)
    if related.reporter:
        return True
    top = OrgUnit.objects.regions().filter(parent=None).first()
    top_path = top.path if top is not None else ""
    return any(path != top_path for path in related.dispatching)


def decides_appeals(actor: Someone) -> bool:
    """The site's dispatcher opens the appeal queue and decides."""
    return is_site_dispatcher(actor)


def may_set_targets(actor: Someone) -> bool:
    """The district targets of the three assessment indicators are the whole site's."""
    return is_site_dispatcher(actor)

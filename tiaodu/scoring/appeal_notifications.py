"""What the appeals tell people, in the bell and by email (`core.notifications`): a new
appeal goes to the site's dispatchers, who decide it; the decision goes to the one who
appealed. Written inside the service's transaction (a refused step tells no one), in the
site's language as the audit log is."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core.audit import in_site_language
from tiaodu.core.notifications import notify
from tiaodu.core.roles import Role
from tiaodu.scoring.choices import AppealStatus, Colour
from tiaodu.scoring.models import Appeal

RAISED = "scoring.appeal_raised"
DECIDED = "scoring.appeal_decided"


def site_dispatchers() -> list[User]:
    """The active dispatchers of the top region, who decide the appeals."""
    top = OrgUnit.objects.regions().filter(parent=None).first()
    if top is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.DISPATCHER,
            role_assignments__org_unit=top,
        ).distinct()
    )


def link(appeal: Appeal) -> str:
    return f"{reverse('scoring:card', args=[appeal.card_id])}#appeal-{appeal.pk}"


def _values(appeal: Appeal) -> dict[str, str]:
    card = appeal.card
    return {
        "project": card.project.name,
        "month": f"{card.month:%Y-%m}",
        "colour": str(Colour(card.final_colour).label),
        "who": str(appeal.raised_by),
        "reason": appeal.reason,
    }


def on_raised(appeal: Appeal) -> None:
    with in_site_language():
        values = _values(appeal)
        notify(
            recipients=[u for u in site_dispatchers() if u.pk != appeal.raised_by_id],
            kind=RAISED,
            title=_("Card appeal: %(project)s, %(month)s (%(colour)s)") % values,
            body=_("%(who)s appeals the card: %(reason)s\nUphold it or revise its colour.")
            % values,
            link=link(appeal),
            key=f"{RAISED}:{appeal.pk}",
        )


def on_decided(appeal: Appeal) -> None:
    with in_site_language():
        values = {
            **_values(appeal),
            "decision": appeal.decision_reason,
            "revised": str(Colour(appeal.revised_colour).label) if appeal.revised_colour else "",
        }
        if appeal.status == AppealStatus.REVISED:
            title = _("Appeal granted: %(project)s, %(month)s revised to %(revised)s") % values
        else:
            title = _("Appeal not granted: %(project)s, %(month)s stays %(colour)s") % values
        notify(
            recipients=[appeal.raised_by],
            kind=DECIDED,
            title=title,
            body=_("The dispatcher's reason: %(decision)s") % values,
            link=link(appeal),
            key=f"{DECIDED}:{appeal.pk}",
        )

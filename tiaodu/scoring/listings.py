"""The card appeals (评价申诉), shown and exported from one definition (core.listing): the
appeals waiting for a decision, the one to decide soonest first, and the latest decided.

The source reads what the queue shows, in the reader's scope; the page adds what each card
found wrong, the evidence and the decision form.
"""

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock
from tiaodu.core.listing import Column, Found, Kind, Listing, Table, register
from tiaodu.scoring import appeals, selectors
from tiaodu.scoring.choices import NOT_APPLICABLE, AppealStatus
from tiaodu.scoring.models import Appeal
from tiaodu.scoring.permissions import decides_appeals

# How many decided appeals the queue lists below the pending ones.
DECIDED_SHOWN = 50
COLOUR_BADGES = {"blue": "bg-blue text-white", "yellow": "bg-yellow text-white"}
APPEAL_BADGES = {"pending": "bg-purple text-white", "revised": "bg-green text-white"}


def appeals_source(request: SignedInRequest) -> Found:
    """The pending appeals the reader decides, the one to decide soonest first (with its
    day to decide by and whether it is past); the latest decided ones (`data["decided"]`)."""
    if not decides_appeals(request.user):
        raise Http404
    visible = selectors.appeals_visible_to(request.user).select_related(
        "card__project__region", "card__rule_set", "raised_by", "decided_by"
    )
    today = clock.today()
    pending = list(visible.filter(status=AppealStatus.PENDING).prefetch_related("files"))
    for appeal in pending:
        appeal.due = appeals.decide_by(appeal)  # type: ignore[attr-defined]
        appeal.overdue = appeal.due < today  # type: ignore[attr-defined]
    pending.sort(key=lambda a: (a.due, a.raised_at))  # type: ignore[attr-defined]
    decided = list(
        visible.exclude(status=AppealStatus.PENDING).order_by("-decided_at", "-pk")[:DECIDED_SHOWN]
    )
    return Found(pending, list, data={"decided": decided, "today": today})


def _colour(colour: str, label: str) -> str:
    return _("Not applicable") if colour == NOT_APPLICABLE else label


def _colour_badge(colour: str) -> str:
    return COLOUR_BADGES.get(colour, "bg-red text-white" if colour == "red" else "bg-secondary")


def _card_link(appeal: Appeal, *, queue: bool = False) -> str:
    url = reverse("scoring:card", args=[appeal.card_id])
    return f"{url}{'?from=queue' if queue else ''}#appeal-{appeal.pk}"


def _month(appeal: Appeal) -> str:
    return appeal.card.month.strftime("%Y-%m")


def _revised(appeal: Appeal) -> Any:
    if not appeal.revised_colour:
        return ""
    return _colour(appeal.revised_colour, appeal.get_revised_colour_display())


APPEALS = register(
    Listing(
        key="scoring.appeals",
        page="scoring:appeals",
        export="scoring:appeals_export",
        name=gettext_lazy("Card appeals"),
        fallback="card-appeals",
        tables=(
            Table(
                "pending",
                (
                    Column(
                        gettext_lazy("Project"),
                        lambda a: a.card.project.name,
                        width=36,
                        link=lambda a: _card_link(a, queue=True),
                    ),
                    Column(gettext_lazy("Region"), lambda a: str(a.card.project.region)),
                    Column(gettext_lazy("Card month"), _month),
                    Column(
                        gettext_lazy("Card colour"),
                        lambda a: _colour(a.card.final_colour, a.card.get_final_colour_display()),
                        badge=lambda a: _colour_badge(a.card.final_colour),
                    ),
                    Column(gettext_lazy("Decide by"), lambda a: a.due, Kind.DATE),
                    Column(
                        gettext_lazy("Overdue"),
                        lambda a: _("overdue") if a.overdue else "",
                        badge=lambda a: "bg-red text-white",
                    ),
                    Column(gettext_lazy("Appealed by"), lambda a: str(a.raised_by)),
                    Column(gettext_lazy("Appealed at"), lambda a: a.raised_at, Kind.DATETIME),
                    Column(gettext_lazy("Reason for the appeal"), lambda a: a.reason, width=48),
                ),
                gettext_lazy("Waiting for your decision"),
            ),
            Table(
                "decided",
                (
                    Column(gettext_lazy("Decided at"), lambda a: a.decided_at, Kind.DATETIME),
                    Column(
                        gettext_lazy("Decided by"),
                        lambda a: a.decided_by and str(a.decided_by),
                        under=True,
                    ),
                    Column(
                        gettext_lazy("Project"),
                        lambda a: a.card.project.name,
                        width=36,
                        link=_card_link,
                    ),
                    Column(gettext_lazy("Card month"), _month, css="text-nowrap"),
                    Column(
                        gettext_lazy("Decision on the appeal"),
                        lambda a: a.get_status_display(),
                        badge=lambda a: APPEAL_BADGES.get(a.status, "bg-secondary text-white"),
                        css="text-nowrap",
                        testid="appeal-status",
                    ),
                    Column(
                        gettext_lazy("Revised colour"),
                        _revised,
                        under=True,
                        lead="→ ",
                        badge=lambda a: _colour_badge(a.revised_colour),
                        css="mt-1",
                    ),
                    Column(
                        gettext_lazy("Reason for the decision"),
                        lambda a: a.decision_reason,
                        width=48,
                        truncate=120,
                        css="text-wrap td-reason",
                    ),
                ),
                gettext_lazy("Decided lately"),
                rows=lambda found: found.data["decided"],
            ),
        ),
        source=appeals_source,
    )
)

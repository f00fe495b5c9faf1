"""Supervision's lists, shown and exported from one definition (core.listing): the
supervision notices, the meetings, the field rounds and a round's ranking, the leaders'
instructions (领导批示) and those routed to the reader's unit (交办批示).

Each source reads what its page shows, in the reader's scope and under the page's filters.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock
from tiaodu.core.listing import Column, Found, Kind, Listing, Table, register
from tiaodu.core.summaries import chosen_filters
from tiaodu.projects.permissions import reads_business_data
from tiaodu.supervision.instructions import permissions as instruction_permissions
from tiaodu.supervision.instructions import selectors as instruction_selectors
from tiaodu.supervision.instructions.choices import InstructionStatus
from tiaodu.supervision.instructions.models import Instruction
from tiaodu.supervision.meetings import selectors as meeting_selectors
from tiaodu.supervision.meetings.filters import MeetingFilterSet, meeting_years
from tiaodu.supervision.notices import selectors as notice_selectors
from tiaodu.supervision.notices.filters import NoticeFilterSet, notice_years, with_overdue
from tiaodu.supervision.notices.models import Notice
from tiaodu.supervision.rounds import scores
from tiaodu.supervision.rounds import selectors as round_selectors
from tiaodu.supervision.rounds.forms import RoundFilterForm

# At most this many rounds are listed (newest first); a year or a kind narrows the rest.
ROUND_LIMIT = 200


def _reader(request: SignedInRequest) -> None:
    if not reads_business_data(request.user):
        raise Http404


# ---------------------------------------------------------------------------- notices


def notices_source(request: SignedInRequest) -> Found:
    """督办通知: the notices the reader may see, filtered, overdue computed, newest first."""
    _reader(request)
    today = clock.today()
    visible = notice_selectors.notices_visible_to(request.user)
    filterset = NoticeFilterSet(
        request.GET or None,
        queryset=with_overdue(visible, today).prefetch_related("projects"),
        years=notice_years(visible),
        today=today,
    )
    rows = filterset.qs.select_related("recipient_unit", "sponsoring_leader")
    return Found(rows, lambda: chosen_filters(filterset.form), data={"filter": filterset})


def _notice_status(notice: Notice) -> str:
    if getattr(notice, "overdue", False):
        return _("Overdue, unanswered")
    if notice.status == "issued":
        return _("Awaiting response")
    if notice.status == "answered":
        return _("Answered, to be closed")
    return notice.get_status_display()


def _notice_badge(notice: Notice) -> str:
    if getattr(notice, "overdue", False):
        return "bg-red text-white"
    return {"issued": "bg-blue text-white", "answered": "bg-green text-white"}.get(
        notice.status, "bg-secondary text-white"
    )


def _notice_link(notice: Notice) -> str:
    return reverse("supervision:notice", args=[notice.pk])


NOTICES = register(
    Listing(
        key="supervision.notices",
        page="supervision:notices",
        export="supervision:notices_export",
        name=gettext_lazy("Supervision notices"),
        fallback="supervision-notices",
        tables=(
            Table(
                "notices",
                (
                    Column(
                        gettext_lazy("Number"),
                        lambda n: n.number_label,
                        width=18,
                        link=_notice_link,
                        testid="notice-number",
                        css="text-nowrap fw-bold",
                    ),
                    Column(gettext_lazy("Kind of notice"), lambda n: n.get_kind_display()),
                    Column(gettext_lazy("Subject"), lambda n: n.subject, width=36, css="td-name"),
                    Column(
                        gettext_lazy("Recipient unit"), lambda n: n.recipient_unit.name, width=24
                    ),
                    Column(
                        gettext_lazy("Sponsoring leader"),
                        lambda n: str(n.sponsoring_leader) if n.sponsoring_leader else "",
                    ),
                    Column(
                        gettext_lazy("Projects concerned"),
                        lambda n: [project.name for project in n.projects.all()],
                        width=40,
                        css="small",
                    ),
                    Column(gettext_lazy("Issued on"), lambda n: n.issued_at, Kind.DATE),
                    Column(
                        gettext_lazy("Response deadline"), lambda n: n.response_deadline, Kind.DATE
                    ),
                    Column(
                        gettext_lazy("Status"),
                        _notice_status,
                        badge=_notice_badge,
                        testid="notice-status",
                    ),
                ),
            ),
        ),
        source=notices_source,
    )
)


# ---------------------------------------------------------------------------- meetings


def meetings_source(request: SignedInRequest) -> Found:
    """会商与联席会议: the meetings the reader may see, filtered, newest first."""
    _reader(request)
    visible = meeting_selectors.meetings_visible_to(request.user)
    filterset = MeetingFilterSet(
        request.GET or None, queryset=visible, years=meeting_years(visible), actor=request.user
    )
    return Found(filterset.qs, lambda: chosen_filters(filterset.form), data={"filter": filterset})


MEETINGS = register(
    Listing(
        key="supervision.meetings",
        page="supervision:meetings",
        export="supervision:meetings_export",
        name=gettext_lazy("Consultations and joint meetings"),
        fallback="meetings",
        tables=(
            Table(
                "meetings",
                (
                    Column(gettext_lazy("Meeting date"), lambda m: m.date, Kind.DATE),
                    Column(
                        gettext_lazy("Kind of meeting"),
                        lambda m: m.get_kind_display(),
                        badge=lambda m: (
                            "bg-purple text-white"
                            if m.kind == "joint_meeting"
                            else "bg-azure text-white"
                        ),
                    ),
                    Column(
                        gettext_lazy("Meeting title"),
                        lambda m: m.title,
                        width=36,
                        link=lambda m: reverse("supervision:meeting", args=[m.pk]),
                        testid="meeting-title",
                        css="td-name fw-bold",
                    ),
                    Column(gettext_lazy("Place"), lambda m: m.place, width=20),
                    Column(gettext_lazy("Convened for"), lambda m: m.convening_unit.name, width=24),
                    Column(gettext_lazy("Chair"), lambda m: m.chair_label),
                    Column(
                        gettext_lazy("Problems on the agenda"),
                        lambda m: m.agenda_count,
                        Kind.COUNT,
                    ),
                    Column(gettext_lazy("Decided"), lambda m: m.decided_count, Kind.COUNT),
                ),
            ),
        ),
        source=meetings_source,
    )
)


# ---------------------------------------------------------------------------- field rounds


def rounds_source(request: SignedInRequest) -> Found:
    """现场督查: the rounds the reader sees, filtered by kind, status, year and title."""
    _reader(request)
    actor = request.user
    form = RoundFilterForm(request.GET or None, years=round_selectors.round_years(actor))
    chosen = form.cleaned_data if form.is_valid() else {}
    rounds = round_selectors.round_list(
        actor,
        kind=chosen.get("kind") or None,
        status=chosen.get("status") or None,
        year=chosen.get("year"),
        text=chosen.get("q") or "",
    )
    return Found(list(rounds[:ROUND_LIMIT]), lambda: chosen_filters(form), data={"form": form})


ROUND_KIND_BADGES = {
    "site_visit": "bg-azure-lt",
    "inspection": "bg-orange-lt",
    "inspection_tour": "bg-purple-lt",
}
ROUND_STATUS_BADGES = {"under_way": "bg-blue text-white", "finished": "bg-green text-white"}

ROUNDS = register(
    Listing(
        key="supervision.rounds",
        page="supervision:rounds",
        export="supervision:rounds_export",
        name=gettext_lazy("Field rounds"),
        fallback="field-rounds",
        tables=(
            Table(
                "rounds",
                (
                    Column(
                        gettext_lazy("Round"),
                        lambda r: r.title,
                        width=36,
                        link=lambda r: r.get_absolute_url(),
                        css="td-name",
                    ),
                    Column(
                        gettext_lazy("Kind"),
                        lambda r: r.get_kind_display(),
                        badge=lambda r: ROUND_KIND_BADGES.get(r.kind, "bg-teal-lt"),
                        testid="round-kind",
                    ),
                    Column(gettext_lazy("Region covered"), lambda r: str(r.region)),
                    Column(gettext_lazy("Start date"), lambda r: r.start_date, Kind.DATE),
                    Column(gettext_lazy("End date"), lambda r: r.end_date, Kind.DATE),
                    Column(
                        gettext_lazy("Organised by"),
                        lambda r: str(r.organised_by) if r.organised_by else "",
                    ),
                    Column(gettext_lazy("Groups"), lambda r: r.group_count, Kind.COUNT),
                    Column(gettext_lazy("Projects visited"), lambda r: r.visit_count, Kind.COUNT),
                    Column(
                        pgettext_lazy("field round", "status"),
                        lambda r: r.get_status_display(),
                        badge=lambda r: ROUND_STATUS_BADGES.get(
                            r.status, "bg-secondary text-white"
                        ),
                        testid="round-status",
                    ),
                ),
            ),
        ),
        source=rounds_source,
    )
)


def ranking_source(request: SignedInRequest, pk: int) -> Found:
    """A round's ranking of the visited projects the reader sees, and the regions' averages."""
    actor = request.user
    field_round = round_selectors.round_for(actor, pk)
    seen = list(round_selectors.round_visits(actor, field_round).values())
    data: dict[str, Any] = {"round": field_round, "visits": seen}
    data["regions"] = scores.region_averages(seen)
    return Found(
        scores.ranking(seen),
        lambda: [(_("Round"), field_round.title)],
        subject=field_round.title,
        data=data,
    )


RANKING = register(
    Listing(
        key="supervision.round_ranking",
        page="supervision:round",
        export="supervision:round_ranking_export",
        name=gettext_lazy("Ranking of the visited projects"),
        fallback="round-ranking",
        tables=(
            Table(
                "ranking",
                (
                    Column(gettext_lazy("Rank"), lambda r: r.rank, Kind.COUNT),
                    Column(
                        gettext_lazy("Project"),
                        lambda r: r.visit.project.name,
                        width=36,
                        link=lambda r: r.visit.get_absolute_url(),
                        css="td-name",
                    ),
                    Column(gettext_lazy("Region"), lambda r: r.visit.project.region.name),
                    Column(gettext_lazy("Group"), lambda r: r.visit.group.name),
                    Column(gettext_lazy("Score"), lambda r: r.visit.score, Kind.NUMBER),
                ),
                gettext_lazy("Ranking"),
            ),
            Table(
                "regions",
                (
                    Column(gettext_lazy("Region"), lambda r: r.region),
                    Column(gettext_lazy("Visited"), lambda r: r.visited, Kind.COUNT),
                    Column(gettext_lazy("Average"), lambda r: r.average, Kind.NUMBER),
                    Column(gettext_lazy("Highest"), lambda r: r.highest, Kind.NUMBER),
                    Column(gettext_lazy("Lowest"), lambda r: r.lowest, Kind.NUMBER),
                ),
                gettext_lazy("Average score by region"),
                rows=lambda found: found.data["regions"],
            ),
        ),
        source=ranking_source,
    )
)


# ---------------------------------------------------------------------------- instructions

# The instruction lists' state filter: a stored status, or "overdue" (computed).
INSTRUCTION_STATES = ("overdue", *InstructionStatus.values)


def _instructions(request: SignedInRequest, found: QuerySet[Instruction]) -> Found:
    """The instructions under the chosen state (overdue, or a status), overdue first; the
    count of each state."""
    today = clock.today()
    rows = instruction_selectors.with_overdue(found, today)
    state = request.GET.get("state", "")
    if state == "overdue":
        rows = rows.filter(instruction_selectors.overdue_condition(today))
    elif state in InstructionStatus.values:
        rows = rows.filter(status=state)
    else:
        state = ""
    counts = {
        "overdue": found.filter(instruction_selectors.overdue_condition(today)).count(),
        **{status: found.filter(status=status).count() for status in InstructionStatus.values},
    }

    def labels() -> dict[str, str]:
        return {
            "overdue": _("Overdue"),
            **{key: str(label) for key, label in InstructionStatus.choices},
        }

    return Found(
        rows,
        lambda: [(_("Status"), str(labels()[state]))] if state else [],
        data={
            "state": state,
            "states": [(name, labels()[name], counts[name]) for name in INSTRUCTION_STATES],
            "today": today,
        },
    )


def instructions_source(request: SignedInRequest) -> Found:
    """领导批示: a leader's own instructions and a dispatcher's regions'."""
    actor = request.user
    if not (
        instruction_permissions.writes_instructions(actor)
        or instruction_permissions.follows_instructions(actor)
    ):
        raise Http404
    return _instructions(request, instruction_selectors.instructions_visible_to(actor))


def instruction_inbox_source(request: SignedInRequest) -> Found:
    """交办批示: the instructions routed to the reader's unit."""
    actor = request.user
    if not instruction_permissions.answers_instructions(actor):
        raise Http404
    visible = instruction_selectors.instructions_visible_to(actor)
    return _instructions(request, visible.filter(instruction_selectors.routed_to(actor)))


def _instruction_status(instruction: Instruction) -> str:
    if getattr(instruction, "overdue", False):
        return _("Overdue, unanswered")
    if instruction.status == InstructionStatus.ISSUED:
        return _("Awaiting answer")
    if instruction.status == InstructionStatus.ANSWERED:
        return _("Answered, to be read")
    return instruction.get_status_display()


def _instruction_badge(instruction: Instruction) -> str:
    if getattr(instruction, "overdue", False):
        return "bg-red text-white"
    return {"issued": "bg-blue text-white", "answered": "bg-green text-white"}.get(
        instruction.status, "bg-secondary text-white"
    )


INSTRUCTION_COLUMNS: tuple[Column[Instruction], ...] = (
    Column(
        gettext_lazy("Instruction"),
        lambda i: i.text,
        width=48,
        link=lambda i: reverse("supervision:instruction", args=[i.pk]),
        truncate=60,
        css="td-name",
    ),
    Column(gettext_lazy("Written at"), lambda i: i.written_at, Kind.DATE, under=True),
    Column(gettext_lazy("Written on"), lambda i: i.subject_title, width=32, css="small"),
    Column(gettext_lazy("Leader"), lambda i: str(i.leader), css="text-nowrap"),
    Column(gettext_lazy("Routed to"), lambda i: i.unit.name, width=24),
    Column(
        gettext_lazy("Answer by"),
        lambda i: i.deadline,
        Kind.DATE,
        css=lambda i: "text-red fw-bold" if getattr(i, "overdue", False) else "",
    ),
    Column(
        gettext_lazy("Status"),
        _instruction_status,
        badge=_instruction_badge,
        css="text-nowrap",
        testid="instruction-status",
    ),
)

INSTRUCTIONS = register(
    Listing(
        key="supervision.instructions",
        page="supervision:instructions",
        export="supervision:instructions_export",
        name=gettext_lazy("Instructions"),
        fallback="instructions",
        tables=(Table("instructions", INSTRUCTION_COLUMNS),),
        source=instructions_source,
    )
)
INSTRUCTION_INBOX = register(
    Listing(
        key="supervision.instruction_inbox",
        page="supervision:instruction_inbox",
        export="supervision:instruction_inbox_export",
        name=gettext_lazy("Instructions to my unit"),
        fallback="instructions-to-my-unit",
        tables=(Table("instructions", INSTRUCTION_COLUMNS),),
        source=instruction_inbox_source,
    )
)

"""The forms of the meeting pages: the meeting itself, and a decision on one agenda problem.

The decision form offers only the outcomes the problem workflow allows the convener now
(`services.outcomes_open_to`); the service checks again and refuses the rest.
"""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, Person, User, UserRole
from tiaodu.core import clock
from tiaodu.core.roles import BUSINESS_ROLES, Role
from tiaodu.core.scoping import Actor
from tiaodu.problems.choices import LEVEL_ORDER, ProblemLevel
from tiaodu.problems.models import Problem
from tiaodu.problems.services import default_deadline
from tiaodu.projects.selectors import projects_visible_to
from tiaodu.supervision.meetings.choices import DecisionOutcome, MeetingKind
from tiaodu.supervision.meetings.models import Meeting
from tiaodu.supervision.meetings.permissions import convening_units
from tiaodu.supervision.meetings.services import outcomes_open_to
from tiaodu.supervision.notices.forms import DATE_INPUT, leader_choices

# A line is "unit name position", "unit name（position）" or "unit name"; the separators
# are spaces or Chinese commas and colons. One word alone is a name.
SEPARATORS = re.compile(r"[\s,，、:：]+")
TITLE_SUFFIX = re.compile(r"^(?P<rest>.*?)\s*[（(](?P<title>[^（()）]*)[）)]$")
UNIT_MAX, NAME_MAX, TITLE_MAX = 100, 50, 100


def _split_line(line: str) -> tuple[str, str, str]:
    match = TITLE_SUFFIX.match(line)
    title = ""
    if match:
        line, title = match["rest"].strip(), match["title"].strip()
    words = [word for word in SEPARATORS.split(line) if word]
    if not words:
        return "", "", title
    if not title and len(words) >= 3:
        return " ".join(words[:-2]), words[-2], words[-1]
    return " ".join(words[:-1]), words[-1], title


def parse_attendee_lines(text: str) -> list[tuple[str, str, str]]:
    """Each non-empty line as (unit, name, position)."""
    rows: list[tuple[str, str, str]] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        unit, name, title = _split_line(line)
        if len(unit) > UNIT_MAX or len(name) > NAME_MAX or len(title) > TITLE_MAX:
            errors.append(
                gettext(
                    "Line %(line)s: keep the unit to %(unit)s characters, the name to %(name)s "
                    "and the position to %(title)s."
                )
                % {"line": number, "unit": UNIT_MAX, "name": NAME_MAX, "title": TITLE_MAX}
            )
        elif not name:
            errors.append(gettext("Line %(line)s: write the person's name.") % {"line": number})
        rows.append((unit, name, title))
    if errors:
        raise forms.ValidationError(errors)
    return rows


def attendee_accounts() -> Any:
    """The active accounts that hold a business role (administrators never attend)."""
    return (
        User.objects.filter(is_active=True, role_assignments__role__in=BUSINESS_ROLES)
        .distinct()
        .select_related("org_unit")
        .order_by("org_unit__path", "display_name", "username")
    )


class MeetingForm(forms.Form):
    """会商 / 联席会议: when, where, who chaired and attended, and the minutes."""

    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        choices=MeetingKind.choices,
        initial=MeetingKind.CONSULTATION,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Meeting title"), max_length=200)
    date = forms.DateField(label=_("Meeting date"), widget=DATE_INPUT)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    convening_unit = forms.ModelChoiceField(
        label=_("Convened for"),
        queryset=OrgUnit.objects.none(),
        empty_label=None,
        help_text=_("Your region (as a dispatcher) or your department (as a handler)."),
    )
    chair = forms.ModelChoiceField(
        label=_("Chair"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Not on the list"),
    )
    chair_name = forms.CharField(
        label=_("Chair, if not on the list"),
        max_length=100,
        required=False,
        help_text=_("Name and position, e.g. 王强（区发改局局长）."),
    )
    attendee_users = forms.ModelMultipleChoiceField(
        label=_("Attendees with an account"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They can open this meeting's page."),
    )
    attendee_lines = forms.CharField(
        label=_("Other attendees"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "黄岛区自然资源局 张伟 副局长"}),
        required=False,
        help_text=_("One person per line: the unit, the name, then the position."),
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("What was discussed. The decisions on each problem are recorded below."),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = convening_units(actor)
        self.fields["convening_unit"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[unit.pk for unit in units]
        ).order_by("path")
        # One unit to convene for: nothing to choose, it is that unit.
        self.only_unit = units[0] if len(units) == 1 else None
        if self.only_unit is not None:
            self.fields["convening_unit"].widget = forms.HiddenInput()
            self.fields["convening_unit"].required = False
            self.initial.setdefault("convening_unit", self.only_unit.pk)
        self.fields["chair"].queryset = leader_choices(projects_visible_to(actor))  # type: ignore[attr-defined]
        self.fields["attendee_users"].queryset = attendee_accounts()  # type: ignore[attr-defined]
        self.initial.setdefault("date", clock.today())

    def meeting_fields(self) -> dict[str, Any]:
        """What the services record from a valid form (`services.create_meeting`'s and
        `services.update_meeting`'s arguments)."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "date": data["date"],
            "convening_unit": data["convening_unit"],
            "place": data["place"],
            "chair": data["chair"],
            "chair_name": data["chair_name"],
            "attendee_users": list(data["attendee_users"]),
            "attendee_lines": data["attendee_lines"],
            "minutes": data["minutes"],
        }

    def clean_convening_unit(self) -> OrgUnit | None:
        return self.cleaned_data.get("convening_unit") or self.only_unit

    def clean_attendee_lines(self) -> list[tuple[str, str, str]]:
        return parse_attendee_lines(self.cleaned_data.get("attendee_lines") or "")

    def account_rows(self) -> list[dict[str, Any]]:
        """The accounts to tick, the ticked ones first, for the searchable list."""
        chosen = {str(value) for value in (self["attendee_users"].value() or [])}
        roles: dict[int, list[str]] = {}
        labels = dict(Role.choices)
        for user_id, role in UserRole.objects.filter(role__in=BUSINESS_ROLES).values_list(
            "user_id", "role"
        ):
            roles.setdefault(user_id, []).append(str(labels[role]))
        rows = [
            {
                "pk": user.pk,
                "name": str(user),
                "unit": user.org_unit.name if user.org_unit else "",
                "roles": "、".join(roles.get(user.pk, [])),
                "checked": str(user.pk) in chosen,
            }
            for user in self.fields["attendee_users"].queryset  # type: ignore[attr-defined]
        ]
        return sorted(rows, key=lambda row: not row["checked"])


def initial_for(meeting: Meeting) -> dict[str, Any]:
    """The form's values for an existing meeting."""
    attendees = list(meeting.attendees.all())
    return {
        "kind": meeting.kind,
        "title": meeting.title,
        "date": meeting.date,
        "place": meeting.place,
        "convening_unit": meeting.convening_unit_id,
        "chair": meeting.chair_id,
        "chair_name": meeting.chair_name,
        "attendee_users": [a.user_id for a in attendees if a.user_id],
        "attendee_lines": "\n".join(
            f"{a.unit} {a.label}".strip() for a in attendees if not a.user_id
        ),
        "minutes": meeting.minutes,
    }


def outcome_label(outcome: str, problem: Problem) -> str:
    """An outcome as the convener reads it for this problem (escalate names the level)."""
    if outcome == DecisionOutcome.ESCALATE:
        position = LEVEL_ORDER.index(problem.level)
        if position + 1 < len(LEVEL_ORDER):
            level = ProblemLevel(LEVEL_ORDER[position + 1]).label
            return gettext("Escalate to %(level)s") % {"level": level}
    if outcome == DecisionOutcome.ASSIGN and problem.assigned_department_id:
        return gettext("Assign again (department, handler or deadline)")
    return str(DecisionOutcome(outcome).label)


def handler_choices() -> list[Any]:
    """The department handlers, grouped by their department."""
    groups: dict[str, list[tuple[int, str]]] = {}
    grants = UserRole.objects.filter(
        role=Role.DEPARTMENT_HANDLER, user__is_active=True, org_unit__isnull=False
    ).select_related("user", "org_unit")
    for grant in grants.order_by("org_unit__path", "user__display_name"):
        assert grant.org_unit is not None
        groups.setdefault(grant.org_unit.name, []).append((grant.user_id, str(grant.user)))
    return [("", gettext("Any handler of the department")), *groups.items()]


class DecisionForm(forms.Form):
    """The meeting's decision on one agenda problem; the fields each outcome needs."""

    outcome = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the meeting agreed, as it goes into the minutes."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=OrgUnit.objects.filter(kind=OrgUnitKind.DEPARTMENT, is_active=True).order_by(
            "path"
        ),
        required=False,
        empty_label=_("Choose the department"),
    )
    handler = forms.TypedChoiceField(label=_("Handler"), coerce=int, required=False)
    deadline = forms.DateField(label=_("Resolution deadline"), widget=DATE_INPUT, required=False)
    resolution = forms.CharField(
        label=_("Resolution"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("How the problem was resolved."),
    )

    def __init__(self, *args: Any, actor: Actor, problem: Problem, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"decide-{problem.pk}")
        super().__init__(*args, **kwargs)
        self.problem = problem
        self.allowed = outcomes_open_to(actor, problem)
        self.fields["outcome"].choices = [  # type: ignore[attr-defined]
            (outcome, outcome_label(outcome, problem)) for outcome in self.allowed
        ]
        self.fields["handler"].choices = handler_choices()  # type: ignore[attr-defined]
        proposed = default_deadline(problem.level, clock.today())
        self.fields["deadline"].help_text = _("Leave empty for the level's default: %(date)s.") % {
            "date": proposed.isoformat()
        }

    def clean_handler(self) -> User | None:
        handler_id = self.cleaned_data.get("handler")
        if handler_id in (None, ""):
            return None
        return User.objects.get(pk=handler_id)

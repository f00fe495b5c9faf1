"""The forms of the notice pages: issuing a notice, and the recipient unit's response.

The forms offer what the dispatcher may choose (projects of its regions, the departments
and owner units there or on those projects, the leaders on record); the services decide
and refuse, and their refusals come back onto the form.
"""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, Person
from tiaodu.core import clock
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor, dispatcher_paths
from tiaodu.core.workdays import add_working_days
from tiaodu.projects.models import Project, TaskForce
from tiaodu.projects.selectors import task_force_heads
from tiaodu.supervision.notices.choices import NoticeKind, response_days
from tiaodu.supervision.notices.models import Notice
from tiaodu.supervision.notices.permissions import reach_refusal
from tiaodu.supervision.notices.services import RECIPIENT_KINDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def issuable_projects(actor: Actor) -> QuerySet[Project]:
    """The projects of the actor's dispatcher regions: those a notice of theirs may name."""
    paths = dispatcher_paths(actor)
    if not paths:
        return Project.objects.none()
    region = Q()
    for path in paths:
        region |= Q(region__path__startswith=path)
    return (
        Project.objects.filter(region)
        .select_related("region", "owner_unit")
        .order_by("region__path", "name", "pk")
    )


def recipient_units(actor: Actor, projects: QuerySet[Project]) -> QuerySet[OrgUnit]:
    """Active departments and owner units in the actor's regions, or on its projects."""
    where = Q(pk__in=projects.values("owner_unit")) | Q(pk__in=projects.values("responsible_unit"))
    for path in dispatcher_paths(actor):
        where |= Q(path__startswith=path)
    return (
        OrgUnit.objects.filter(where, kind__in=RECIPIENT_KINDS, is_active=True)
        .select_related("parent")
        .order_by("path", "name")
    )


def leader_choices(projects: QuerySet[Project]) -> QuerySet[Person]:
    """The leaders on record: sponsoring and municipal leaders of the projects, and every
    person whose account holds the leader role."""
    return (
        Person.objects.filter(
            Q(pk__in=projects.values("sponsoring_leader"))
            | Q(pk__in=projects.values("municipal_leader"))
            | Q(user__role_assignments__role=Role.LEADER)
        )
        .distinct()
        .order_by("name", "pk")
    )


def default_deadlines(today: dt.date) -> dict[str, str]:
    """Each kind's default response deadline from today (working days, choices.response_days)."""
    return {
        kind.value: add_working_days(today, response_days(kind)).isoformat() for kind in NoticeKind
    }


def unit_label(unit: OrgUnit) -> str:
    return f"{unit.name}（{unit.parent.name}）" if unit.parent is not None else unit.name


class NoticeForm(forms.Form):
    """签发督办: what the dispatcher writes; the service numbers and issues it."""

    kind = forms.ChoiceField(
        label=_("Kind of notice"),
        choices=NoticeKind.choices,
        initial=NoticeKind.SUPERVISION_ORDER,
        widget=forms.RadioSelect,
    )
    recipient_unit = forms.TypedChoiceField(
        label=_("Recipient unit"),
        coerce=int,
        help_text=_("The department or owner unit that must answer the notice."),
    )
    sponsoring_leader = forms.ModelChoiceField(
        label=_("Sponsoring leader"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Choose the leader"),
        help_text=_("A warning letter also goes to the sponsoring leader of the projects."),
    )
    task_force_head = forms.ModelChoiceField(
        label=_("To the head of the task force"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Nobody"),
        help_text=_(
            "The notice can also go to the head (班长) of a task force of the projects concerned."
        ),
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects concerned"),
        queryset=Project.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one project.")},
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        help_text=_("Shown in the title: “On <subject>: supervision order”."),
    )
    body = forms.CharField(
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is wrong, with the figures. One paragraph per line."),
    )
    requirements = forms.CharField(
        label=_("Requirements"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What the unit must do, and by when. One requirement per line."),
    )
    response_deadline = forms.DateField(
        label=_("Response deadline"),
        widget=DATE_INPUT,
        required=False,
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = clock.today()
        self.deadlines = default_deadlines(today)
        projects = issuable_projects(actor)
        self.fields["projects"].queryset = projects  # type: ignore[attr-defined]
        self.fields["sponsoring_leader"].queryset = leader_choices(projects)  # type: ignore[attr-defined]
        self._task_force_heads(projects)
        self.units = {unit.pk: unit for unit in recipient_units(actor, projects)}
        groups: dict[str, list[tuple[int, str]]] = {}
        for unit in self.units.values():
            groups.setdefault(unit.kind, []).append((unit.pk, unit_label(unit)))
        self.fields["recipient_unit"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose the unit")),
            (_("Departments"), groups.get(OrgUnitKind.DEPARTMENT, [])),
            (_("Owner units"), groups.get(OrgUnitKind.OWNER_UNIT, [])),
        ]
        self.fields["response_deadline"].help_text = _(
            "Proposed from today: %(reminder)s working days for a reminder, %(order)s for "
            "the other kinds. Change it if the unit needs another date."
        ) % {
            "reminder": response_days(NoticeKind.REMINDER),
            "order": response_days(NoticeKind.SUPERVISION_ORDER),
        }
        if not self.is_bound and not self.initial.get("response_deadline"):
            kind = self.initial.get("kind") or NoticeKind.SUPERVISION_ORDER
            self.initial["response_deadline"] = self.deadlines[kind]

    def _task_force_heads(self, projects: QuerySet[Project]) -> None:
        """The heads of the task forces of the dispatcher's projects, each labelled with its
        task forces (the service checks that the head serves a ticked project)."""
        field = self.fields["task_force_head"]
        field.queryset = task_force_heads(projects)  # type: ignore[attr-defined]
        forces: dict[int, list[str]] = {}
        links = TaskForce.objects.filter(projects__in=projects.values("pk")).distinct()
        for head_id, name in links.order_by("name").values_list("head_id", "name"):
            forces.setdefault(head_id, []).append(name)
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda person: f"{person.name}（{'、'.join(forces.get(person.pk, []))}）"
        )

    def notice_fields(self) -> dict[str, Any]:
        """What the service issues from a valid form (`services.issue_notice`'s arguments)."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "recipient_unit": data["recipient_unit"],
            "projects": list(data["projects"]),
            "subject": data["subject"],
            "body": data["body"],
            "requirements": data["requirements"],
            "response_deadline": data["response_deadline"],
            "sponsoring_leader": data["sponsoring_leader"],
            "task_force_head": data["task_force_head"],
        }

    def clean_recipient_unit(self) -> OrgUnit:
        unit = self.units.get(self.cleaned_data["recipient_unit"])
        if unit is None:
            raise forms.ValidationError(_("Choose one of the units offered."))
        return unit

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == NoticeKind.WARNING_LETTER:
            if data.get("sponsoring_leader") is None and "sponsoring_leader" not in self.errors:
                self.add_error(
                    "sponsoring_leader",
                    _("A warning letter also goes to the sponsoring leader: choose the leader."),
                )
        else:
            # Only a warning letter names the leader (DOMAIN.md §7); a hidden choice is dropped.
            data["sponsoring_leader"] = None
        unit, projects = data.get("recipient_unit"), data.get("projects")
        if unit is not None and projects:
            # The same refusal as the service's, before the preview shows the notice.
            refused = reach_refusal(unit, projects)
            if refused is not None:
                self.add_error("projects", refused)
        return data

    def project_rows(self) -> list[dict[str, Any]]:
        """The projects to tick, the chosen ones first, for the searchable list."""
        chosen = {str(value) for value in (self["projects"].value() or [])}
        rows = [
            {
                "pk": project.pk,
                "name": project.name,
                "code": project.code or "",
                "region": project.region.name,
                "owner_unit": project.owner_unit.name if project.owner_unit else "",
                "checked": str(project.pk) in chosen,
            }
            for project in self.fields["projects"].queryset  # type: ignore[attr-defined]
        ]
        return sorted(rows, key=lambda row: not row["checked"])


class ResponseForm(forms.Form):
    """The recipient unit's answer; every kind but a reminder needs a rectification plan."""

    text = forms.CharField(
        label=_("Response"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the unit has found and done so far."),
    )
    rectification_plan = forms.CharField(
        label=_("Rectification plan"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("The measures, who carries them out, and the date each is done by."),
    )

    def __init__(self, *args: Any, notice: Notice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if notice.kind != NoticeKind.REMINDER:
            self.fields["rectification_plan"].required = True
            self.fields["rectification_plan"].error_messages["required"] = _(
                "This notice asks for a rectification plan."
            )

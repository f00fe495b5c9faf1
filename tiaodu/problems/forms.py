"""Forms of the problem pages. They parse; the services validate and write, and a refusal
of a service comes back to the field it names (`core.refusals.errors_onto`)."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core.scoping import Actor
from tiaodu.problems import selectors, services
from tiaodu.problems.choices import ProblemAction, ProblemCategory, ProblemLevel, ProblemStatus
from tiaodu.problems.models import Problem
from tiaodu.projects.filters import regions_for
from tiaodu.projects.models import Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = [("", _("All"))]
OVERDUE_CHOICES = [("", _("All")), ("yes", _("Overdue")), ("no", _("Not overdue"))]
CATEGORY_REQUIRED = {
    "required": _("Choose one of the categories."),
    "invalid_choice": _("Choose one of the categories."),
}


class LedgerFilterForm(forms.Form):
    """The ledger's filters (GET); an unknown value is reported and its filter left out."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=pgettext_lazy("problem", "Status"),
        choices=[*ALL, (selectors.OPEN, _("Open (not yet resolved)")), *ProblemStatus.choices],
        required=False,
    )
    overdue = forms.ChoiceField(label=_("Overdue"), choices=OVERDUE_CHOICES, required=False)
    category = forms.ChoiceField(
        label=_("Problem category"), choices=ALL + list(ProblemCategory.choices), required=False
    )
    level = forms.ChoiceField(
        label=_("Problem level"), choices=ALL + list(ProblemLevel.choices), required=False
    )
    department = forms.ModelChoiceField(
        label=_("Responsible department"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    region = forms.ModelChoiceField(
        label=pgettext_lazy("problem", "Region"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    # The statistics' links: the ledger as it stood at the end of a day, for the projects of
    # a plan year (the figure set's scope), so that the count there is the count here.
    as_of = forms.DateField(label=_("As of"), widget=DATE, required=False)
    year = forms.IntegerField(
        label=_("Projects of the plan year"), min_value=2000, max_value=2100, required=False
    )

    def __init__(self, data: Any, *, actor: Actor) -> None:
        super().__init__(data)
        departments = selectors.problems_visible_to(actor).values("assigned_department")
        self.fields["department"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            pk__in=departments
        ).order_by("depth", "name")
        self.fields["region"].queryset = regions_for(actor)  # type: ignore[attr-defined]

    def ledger_filters(self) -> dict[str, Any]:
        """The keyword arguments of `selectors.problem_ledger` for the valid filters."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        overdue = {"yes": True, "no": False}.get(data.get("overdue") or "")
        return {
            "text": data.get("q") or None,
            "status": data.get("status") or None,
            "overdue": overdue,
            "category": data.get("category") or None,
            "level": data.get("level") or None,
            "department": data.get("department"),
            "region": data.get("region"),
            "as_of": data.get("as_of"),
            "plan_year": data.get("year"),
        }

    def summary(self) -> list[tuple[str, str]]:
        """The chosen filters as (label, value) for the export's title."""
        data = getattr(self, "cleaned_data", {})
        found = []
        for name, field in self.fields.items():
            value = data.get(name)
            if value in (None, ""):
                continue
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                value = dict(field.choices).get(value, value)  # type: ignore[arg-type]
            found.append((str(field.label), str(value)))
        return found


class RaiseForm(forms.Form):
    """A new problem of a project; `project` is asked only on the direct channel's page."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    category = forms.ChoiceField(
        label=_("Problem category"),
        choices=[("", _("- Select an option -")), *ProblemCategory.choices],
        error_messages=CATEGORY_REQUIRED,
    )
    title = forms.CharField(
        label=_("Problem"),
        max_length=services.TITLE_MAX,
        error_messages={"required": _("Give the problem a title.")},
        help_text=_("One line that names what holds the project back."),
    )
    description = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is needed, from whom, since when, and what has been tried."),
    )
    direct = forms.BooleanField(
        label=_("Use the direct channel: raise the problem at city level at once"),
        required=False,
    )

    def __init__(
        self,
        data: Any = None,
        *,
        projects: QuerySet[Project] | None = None,
        owner: bool = False,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        if projects is None:
            del self.fields["project"]
        else:
            self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        if not owner or projects is not None:
            del self.fields["direct"]


class HandlerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = obj.org_unit.name if obj.org_unit is not None else ""
        return f"{obj}（{unit}）" if unit else str(obj)


class AssignForm(forms.Form):
    """The department, optionally its handler, and the deadline (the level's default)."""

    department = forms.ModelChoiceField(
        label=_("Responsible department"),
        queryset=OrgUnit.objects.none(),
        error_messages={
            "required": _("Choose the department that is to resolve the problem."),
            "invalid_choice": _("Assign the problem to an active department."),
        },
    )
    handler = HandlerChoice(
        label=_("Handler"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Every handler of the department"),
        help_text=_("Leave it to the department to decide, or name one of its handlers."),
    )
    deadline = forms.DateField(label=_("Resolution deadline"), required=False, widget=DATE)

    def __init__(
        self, data: Any = None, *, problem: Problem, prefix: str | None = None, today: dt.date
    ) -> None:
        departments = selectors.assignable_departments(problem)
        default = services.default_deadline(problem.level, today)
        # A reassignment keeps the deadline unless the dispatcher changes it.
        current = problem.deadline if problem.deadline and problem.deadline >= today else None
        initial = {
            "department": problem.assigned_department_id,
            "handler": problem.handler_id,
            "deadline": current or default,
        }
        super().__init__(data, prefix=prefix, initial=initial)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        # Choosing the department swaps in its handlers (htmx; without it, all are offered).
        self.fields["department"].widget.attrs.update(
            {
                "hx-get": reverse("problems:handler_options", args=[problem.pk]),
                "hx-target": f"#id_{self.add_prefix('handler')}",
                "hx-trigger": "change",
            }
        )
        self.fields["handler"].queryset = selectors.department_handlers(  # type: ignore[attr-defined]
            list(departments)
        ).select_related("org_unit")
        values = {
            "days": services.deadline_days(problem.level),
            "level": problem.get_level_display(),
            "date": default.isoformat(),
        }
        if current is None:
            help_text = _(
                "Leave as it is for %(days)s working days (%(level)s), or choose another date."
            )
        else:
            help_text = _(
                "The current deadline is kept unless you change it; %(days)s working days "
                "(%(level)s) from today would be %(date)s."
            )
        self.fields["deadline"].help_text = help_text % values


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How the problem was resolved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done, by whom, with the document number if there is one."),
    )

    def __init__(self, data: Any = None, *, prefix: str | None = None, **_kwargs: Any) -> None:
        super().__init__(data, prefix=prefix)


class ReasonForm(forms.Form):
    """Why the resolution is rejected (required by the service), or why escalate (optional,
    kept as a comment)."""

    reason = forms.CharField(
        label=_("Why the problem is not resolved"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data: Any = None, *, prefix: str | None = None, **_kwargs: Any) -> None:
        super().__init__(data, prefix=prefix)
        if prefix == ProblemAction.ESCALATE:
            self.fields["reason"].label = _("Why escalate (optional)")
            self.fields["reason"].help_text = _("Kept on the handling record as a comment.")


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("A PDF, a JPEG or PNG image, or a Word or Excel (.docx, .xlsx) file."),
    )

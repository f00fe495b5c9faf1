"""Forms of the project pages. They only parse; services validate and write."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, Person
from tiaodu.core.scoping import Actor, dispatcher_paths
from tiaodu.projects.choices import ProcedureKind, ProcedureStatus
from tiaodu.projects.models import AnnualPlan, KeyProjectList, Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A form's model-choice field, typed as such."""
    return cast(forms.ModelChoiceField, form.fields[name])


def _under(paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


# The project form's fields in the order and groups the page shows them.
PROJECT_FORM_GROUPS = (
    (
        _("Basic information"),
        "col-md-6 col-lg-4",
        (
            "name",
            "code",
            "region",
            "category",
            "industry",
            "funding_type",
            "total_investment",
            "construction_content",
            "location",
            "longitude",
            "latitude",
        ),
    ),
    (
        _("People and units"),
        "col-md-6 col-lg-4",
        (
            "owner_unit",
            "responsible_unit",
            "responsible_person",
            "municipal_leader",
            "sponsoring_leader",
            "service_officer",
            "contact_name",
            "contact_phone",
        ),
    ),
    (
        _("Actual milestones"),
        "col-md-6 col-lg-3",
        (
            "actual_start",
            "actual_completion",
            "actual_production",
            "statistics_inclusion",
            "remarks",
        ),
    ),
)


class ProjectForm(forms.ModelForm):
    """A project's own fields. Regions and units are limited to the dispatcher's subtree."""

    class Meta:
        model = Project
        fields = [name for _title, _column, names in PROJECT_FORM_GROUPS for name in names]
        widgets = {
            "construction_content": forms.Textarea(attrs={"rows": 3}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
            "actual_start": DATE,
            "actual_completion": DATE,
            "actual_production": DATE,
            "statistics_inclusion": DATE,
        }

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        within = _under(dispatcher_paths(actor))
        choice_field(self, "region").queryset = OrgUnit.objects.regions().filter(within)
        choice_field(self, "owner_unit").queryset = OrgUnit.objects.filter(
            within, kind=OrgUnitKind.OWNER_UNIT
        )
        choice_field(self, "responsible_unit").queryset = OrgUnit.objects.filter(
            kind__in=[
                OrgUnitKind.DEPARTMENT,
                OrgUnitKind.COUNTY,
                OrgUnitKind.ZONE,
                OrgUnitKind.CITY,
            ]
        ).filter(within)
        people = Person.objects.select_related("org_unit").order_by("name")
        for name in (
            "responsible_person",
            "municipal_leader",
            "sponsoring_leader",
            "service_officer",
        ):
            choice_field(self, name).queryset = people
        self.fields["code"].help_text = _(
            "Optional. 24 characters, e.g. 2026-370211-48-01-123456; the division code must exist."
        )

    WIDE = frozenset({"construction_content", "remarks"})

    def groups(self) -> list[tuple[str, list[tuple[forms.BoundField, str]]]]:
        """The form's fields in titled groups, each with its column class."""
        return [
            (
                str(title),
                [(self[name], "col-12" if name in self.WIDE else column) for name in names],
            )
            for title, column, names in PROJECT_FORM_GROUPS
        ]


class AnnualPlanForm(forms.ModelForm):
    """One year's plan entry and its lists."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    lists = forms.ModelMultipleChoiceField(
        label=_("Key-project lists"),
        queryset=KeyProjectList.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AnnualPlan
        fields = [
            "year",
            "nature",
            "level",
            "reserve_stage",
            "planned_investment",
            "planned_start",
            "planned_completion",
            "planned_production",
            "bond_funds",
        ]
        widgets = {"planned_start": DATE, "planned_completion": DATE, "planned_production": DATE}
        help_texts = {"bond_funds": _("The year's special-bond funds allotted; 0 if none.")}

    def __init__(self, *args: Any, year: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen_year = year or (self.instance.year if self.instance.pk else None)
        if chosen_year:
            choice_field(self, "lists").queryset = KeyProjectList.objects.filter(year=chosen_year)
        if self.instance.pk:
            self.fields["year"].disabled = True
            self.fields["lists"].initial = self.instance.current_lists
        self.fields["bond_funds"].required = False

    def clean_bond_funds(self) -> Decimal:
        """A blank amount is no special-bond funds."""
        value: Decimal | None = self.cleaned_data.get("bond_funds")
        return value if value is not None else Decimal(0)

    def _post_clean(self) -> None:
        # Model validation runs in the service, which knows the project and the year.
        pass


class ProcedureForm(forms.Form):
    """One row of the procedures checklist."""

    kind = forms.ChoiceField(choices=ProcedureKind.choices, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=ProcedureStatus.choices)
    completed_on = forms.DateField(label=_("Date"), required=False, widget=DATE)
    document_number = forms.CharField(label=_("Document number"), max_length=100, required=False)


ProcedureFormSet = forms.formset_factory(ProcedureForm, extra=0)


class ProjectChoices(forms.ModelMultipleChoiceField):
    """Projects by name and region (names repeat across districts)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.region.name}）"


class TaskForceForm(forms.Form):
    """A task force (专班): its people, duties and the projects of the dispatcher's regions
    it serves. The service checks the regions and the rules again."""

    name = forms.CharField(label=_("Task force name"), max_length=100)
    head = forms.ModelChoiceField(
        label=_("Task force head"),
        queryset=Person.objects.none(),
        empty_label=_("Choose the head"),
        error_messages={"required": _("Choose the task force's head.")},
    )
    responsible_person = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=Person.objects.none(), required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Members who sign in see the task force's projects. Hold Ctrl to pick several."
        ),
    )
    projects = ProjectChoices(
        label=_("Projects it serves"),
        queryset=Project.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={"required": _("Choose at least one project the task force serves.")},
        help_text=_("Projects of your region. Hold Ctrl to pick several."),
    )
    duties = forms.CharField(
        label=_("Duties"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    WIDE = frozenset({"duties"})

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.select_related("org_unit").order_by("name", "pk")
        for name in ("head", "responsible_person", "members"):
            choice_field(self, name).queryset = people
        region = Q(pk__in=[])
        for path in dispatcher_paths(actor):
            region |= Q(region__path__startswith=path)
        choice_field(self, "projects").queryset = (
            Project.objects.filter(region).select_related("region").order_by("region__path", "name")
        )

"""The forms of the financing-needs pages: a new edition, a need put on it, an answer.
The services check what the forms cannot (the region, the edition's number, one need of a
kind per project, one answer per account)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.scoping import Actor
from tiaodu.financing.choices import FinancingKind, NeedStage
from tiaodu.financing.models import FinancingList
from tiaodu.financing.permissions import compile_regions
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import owned_projects, projects_visible_to

AMOUNT = {"max_digits": 14, "decimal_places": 2, "min_value": 0.01}


class RegionField(forms.ModelChoiceField[OrgUnit]):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class ProjectField(forms.ModelChoiceField[Project]):
    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.name}（{obj.region.name}）"


class ListForm(forms.Form):
    region = RegionField(
        label=pgettext_lazy("financing", "Region"), queryset=OrgUnit.objects.none()
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2099)
    number = forms.IntegerField(
        label=_("Edition number"),
        min_value=1,
        max_value=6,
        help_text=_("The list comes out every two months: editions 1 to 6 of a year."),
    )
    note = forms.CharField(
        label=_("Note to the institutions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = compile_regions(actor)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        if regions.exists():
            self.fields["region"].initial = regions.first()


class NeedForm(forms.Form):
    project = ProjectField(label=_("Project"), queryset=Project.objects.none())
    kind = forms.ChoiceField(label=_("Kind of financing"), choices=FinancingKind.choices)
    amount = forms.DecimalField(label=_("Amount needed (10k yuan)"), **AMOUNT)  # type: ignore[arg-type]
    stage = forms.ChoiceField(label=_("Project stage"), choices=NeedStage.choices)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=200,
        help_text=_("What the money is for, e.g. 二期厂房建设."),
    )

    def __init__(self, *args: Any, actor: Actor, financing_list: FinancingList, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = need_projects(actor, financing_list)  # type: ignore[attr-defined]


class ProposalForm(NeedForm):
    """An owner unit's proposal: the same fields, its own projects of the list's region."""

    def __init__(self, *args: Any, actor: Actor, financing_list: FinancingList, **kwargs: Any):
        super().__init__(*args, actor=actor, financing_list=financing_list, **kwargs)
        projects = need_projects(actor, financing_list).filter(
            pk__in=owned_projects(actor).values("pk")
        )
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]


def need_projects(actor: Actor, financing_list: FinancingList) -> QuerySet[Project]:
    """The projects of the list's region the actor sees, by region and name."""
    return (
        projects_visible_to(actor)
        .filter(region__path__startswith=financing_list.region.path)
        .select_related("region")
        .order_by("region__path", "name")
    )


class AnswerForm(forms.Form):
    institution = forms.CharField(label=_("Financial institution"), max_length=100)
    amount = forms.DecimalField(label=_("Amount intended (10k yuan)"), **AMOUNT)  # type: ignore[arg-type]
    terms = forms.CharField(
        label=_("Terms"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Rate, period, guarantee, e.g. 5年期，LPR减20个基点，项目收益权质押."),
    )
    contact_person = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32)

"""Forms of the field-round pages. They only parse; the services validate and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core.scoping import Actor
from tiaodu.problems.choices import ProblemCategory
from tiaodu.projects.models import Project
from tiaodu.supervision.rounds import selectors
from tiaodu.supervision.rounds.choices import (
    CRITERION_POINTS,
    RoundKind,
    RoundStatus,
    ScoreCriterion,
)
from tiaodu.supervision.rounds.models import FieldRound

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
POINTS = {"inputmode": "decimal", "step": "0.1", "min": "0"}


class RoundFilterForm(forms.Form):
    """The filters of the rounds page; every field may be left empty."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *RoundKind.choices]
    )
    status = forms.ChoiceField(
        label=pgettext_lazy("field round", "status"),
        required=False,
        choices=[("", _("All statuses")), *RoundStatus.choices],
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("Title"), required=False, max_length=100)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [("", _("All years")), *((year, str(year)) for year in years)]


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of round"), choices=RoundKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("As the notice calls it, e.g. 2026年三季度重点项目拉练."),
    )
    region = forms.ModelChoiceField(
        label=_("Region covered"),
        queryset=OrgUnit.objects.none(),
        help_text=_("The groups visit projects of this region."),
    )
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(label=_("Last day"), widget=DATE)
    organised_by = forms.CharField(
        label=_("Organised by"),
        max_length=100,
        required=False,
        help_text=_("The body that calls the round, e.g. 市重大项目建设指挥部办公室."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the groups check and how they score; shown to every member."),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = selectors.organiser_regions(actor)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return cleaned


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj}（{obj.org_unit}）" if obj.org_unit else str(obj)


class ProjectsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.region.name} · {obj.name}"


class GroupForm(forms.Form):
    name = forms.CharField(
        label=_("Group name"),
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 第一组")}),
    )


class MemberForm(forms.Form):
    user = AccountChoiceField(
        label=_("Account"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— a person without an account —"),
        help_text=_("A member with an account records the group's visits on the platform."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=50,
        required=False,
        help_text=_("Needed when no account is chosen."),
    )
    unit = forms.CharField(label=_("Unit"), max_length=100, required=False)
    is_leader = forms.BooleanField(
        label=_("Group leader"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, field_round: FieldRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = selectors.member_candidates(field_round)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("user") and not (cleaned.get("name") or "").strip():
            self.add_error("name", _("Choose an account or write the member's name."))
        return cleaned


class AssignProjectsForm(forms.Form):
    projects = ProjectsChoiceField(
        label=_("Choose projects"),
        queryset=Project.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Projects of the region in this year's plan not yet given to a group."),
    )

    def __init__(self, *args: Any, field_round: FieldRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        projects_field = self.fields["projects"]
        assert isinstance(projects_field, forms.ModelMultipleChoiceField)
        projects_field.queryset = selectors.assignable_projects(field_round)


class AssignRegionForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Every project of a region"),
        queryset=OrgUnit.objects.none(),
        help_text=_("Adds the region's projects in this year's plan that no group has yet."),
    )

    def __init__(self, *args: Any, field_round: FieldRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = selectors.assignable_regions(field_round)


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files from one input; the services judge each by its content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        attrs = {"accept": "image/*", "multiple": True}
        kwargs.setdefault("widget", MultiplePhotoInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Day of the visit"), widget=DATE)
    visitors = forms.CharField(
        label=_("Who went"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The group's members and whoever came with them (the owner, the district)."),
    )
    findings = forms.CharField(
        label=_("What was found on site"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Progress seen, workers and machines on site, what the owner said."),
    )
    score = forms.DecimalField(
        label=_("Total score (0–100)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        widget=forms.NumberInput(attrs={**POINTS, "max": "100"}),
        help_text=_("Give the total, or the points of each part below: their sum is the total."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The group's assessment (点评), as it will be read out or published."),
    )
    photos = PhotosField(
        label=_("Site photos"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP or HEIC from the camera, up to 20 MB each; they are checked and "
            "stored without their location data."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion, most in CRITERION_POINTS.items():
            self.fields[f"score_{criterion}"] = forms.DecimalField(
                label=_("%(part)s (0–%(most)s)")
                % {"part": ScoreCriterion(criterion).label, "most": most},
                required=False,
                min_value=0,
                max_value=most,
                decimal_places=1,
                widget=forms.NumberInput(attrs={**POINTS, "max": str(most)}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parts = {key: cleaned.get(f"score_{key}") for key in CRITERION_POINTS}
        if any(value is not None for value in parts.values()):
            for key, value in parts.items():
                if value is None and f"score_{key}" not in self.errors:
                    self.add_error(
                        f"score_{key}", _("Give the points of every criterion, or none.")
                    )
        return cleaned

    @property
    def part_fields(self) -> list[forms.BoundField]:
        return [self[f"score_{criterion}"] for criterion in CRITERION_POINTS]

    def parts(self) -> dict[str, Any]:
        return {key: self.cleaned_data.get(f"score_{key}") for key in CRITERION_POINTS}


class FindingForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Problem category"),
        choices=[("", _("— category —")), *ProblemCategory.choices],
    )
    title = forms.CharField(
        label=_("Problem found"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 施工用电未接入")}),
    )
    detail = forms.CharField(
        label=_("Detail"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NewFindingForm(FindingForm):
    """A finding written on the visit form: a row left empty is no finding."""

    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        title = (cleaned.get("title") or "").strip()
        if (cleaned.get("category") or cleaned.get("detail")) and not title:
            self.add_error("title", _("Say in a line what was found."))
        if title and not cleaned.get("category"):
            self.add_error("category", _("Choose one of the categories."))
        return cleaned


NewFindingFormSet = forms.formset_factory(NewFindingForm, extra=2, max_num=10)

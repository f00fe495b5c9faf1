"""The batch form: name, date, place and region (the regions the dispatcher may use). The
campaign form: name, plan year, window and scope, with its targets as a formset. They only
parse; the services check and write."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaodu.accounts.models import OrgUnit
from tiaodu.campaigns.choices import COUNTS, Comparison, Indicator
from tiaodu.campaigns.models import Campaign, GroundbreakingBatch, Target
from tiaodu.campaigns.permissions import batch_regions, campaign_regions
from tiaodu.campaigns.services import NAME_MAX, PLACE_MAX, TargetSpec, target_problem
from tiaodu.core import clock
from tiaodu.core.scoping import Actor
from tiaodu.projects.choices import AnnualPlanLevel, ProjectCategory
from tiaodu.projects.models import KeyProjectList

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class RegionChoiceField(forms.ModelChoiceField[OrgUnit]):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class BatchForm(forms.Form):
    name = forms.CharField(
        label=_("Batch name"),
        max_length=NAME_MAX,
        help_text=_("As the ceremony is called, e.g. 2026年秋季重大项目集中开工."),
    )
    date = forms.DateField(label=_("Groundbreaking date"), widget=DATE_INPUT)
    place = forms.CharField(
        label=pgettext_lazy("groundbreaking batch", "Place"),
        max_length=PLACE_MAX,
        required=False,
        help_text=_("Where the ceremony is held (the main site)."),
    )
    region = RegionChoiceField(
        label=pgettext_lazy("groundbreaking batch", "Region"),
        queryset=OrgUnit.objects.none(),
        help_text=_("The batch gathers the new-start projects of this region."),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = batch_regions(actor)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        if regions.count() == 1:
            self.fields["region"].initial = regions.first()


def initial_for(batch: GroundbreakingBatch) -> dict[str, Any]:
    return {"name": batch.name, "date": batch.date, "place": batch.place, "region": batch.region}


# Campaigns (百日会战).
class RegionChoices(forms.ModelMultipleChoiceField[OrgUnit]):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class ListChoices(forms.ModelMultipleChoiceField[KeyProjectList]):
    def label_from_instance(self, obj: KeyProjectList) -> str:
        return obj.name


class CampaignForm(forms.Form):
    """A campaign's name, plan year, window and scope. The lists offered are those of the
    plan year; a campaign keeps its year once created."""

    name = forms.CharField(
        label=_("Campaign name"),
        max_length=100,
        help_text=_("As the drive is called, e.g. 2026年重点项目百日会战."),
    )
    year = forms.TypedChoiceField(
        label=_("Plan year"),
        coerce=int,
        help_text=_("The campaign counts this year's plan entries; its window lies in it."),
    )
    start = forms.DateField(label=_("Window start"), widget=DATE_INPUT)
    end = forms.DateField(label=_("Window end"), widget=DATE_INPUT)
    lists = ListChoices(
        label=_("Key-project lists"),
        queryset=KeyProjectList.objects.none(),
        required=False,
        widget=CHECKBOXES,
        error_messages={"invalid_choice": _("Choose lists of the campaign's year.")},
        help_text=_("The lists of the plan year. None ticked: the entries of every list."),
    )
    levels = forms.MultipleChoiceField(
        label=_("Levels"),
        choices=AnnualPlanLevel.choices,
        required=False,
        widget=CHECKBOXES,
        help_text=_("None ticked: every level."),
    )
    regions = RegionChoices(
        label=_("Districts"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=CHECKBOXES,
        help_text=_("None ticked: the whole site."),
    )

    def __init__(
        self, *args: Any, actor: Actor, year: int, campaign: Campaign | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        this_year = clock.today().year
        years = {*KeyProjectList.objects.values_list("year", flat=True), this_year, this_year + 1}
        years.add(year)
        cast(forms.TypedChoiceField, self.fields["year"]).choices = [
            (item, item) for item in sorted(years, reverse=True)
        ]
        cast(ListChoices, self.fields["lists"]).queryset = lists_of(year)
        regions = Q(pk__in=campaign_regions(actor).values("pk"))
        if campaign is not None:  # a region named before stays on offer
            regions |= Q(pk__in=campaign.regions.values("pk"))
        cast(RegionChoices, self.fields["regions"]).queryset = OrgUnit.objects.filter(
            regions
        ).order_by("path")
        if campaign is not None:
            self.fields["year"].disabled = True

    def values(self) -> dict[str, Any]:
        """The cleaned values as the services take them (the year aside)."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "start": data["start"],
            "end": data["end"],
            "lists": list(data["lists"]),
            "levels": list(data["levels"]),
            "regions": list(data["regions"]),
        }


def lists_of(year: int) -> QuerySet[KeyProjectList]:
    return KeyProjectList.objects.filter(year=year).order_by("name", "pk")


def initial_campaign(campaign: Campaign) -> dict[str, Any]:
    return {
        "name": campaign.name,
        "year": campaign.year,
        "start": campaign.start,
        "end": campaign.end,
        "lists": list(campaign.lists.all()),
        "levels": list(campaign.levels),
        "regions": list(campaign.regions.all()),
    }


# A target's subset as the form writes it: "list:<id>", "category:<value>", "level:<value>";
# a target made elsewhere with several parts joins them with "+".
SUBSET_FIELDS = {"category": "subset_category", "level": "subset_level"}
SUBSET_VALUES = {"category": set(ProjectCategory.values), "level": set(AnnualPlanLevel.values)}


def subset_value(target: Target) -> str:
    parts = [
        f"list:{target.subset_list_id}" if target.subset_list_id else "",
        f"category:{target.subset_category}" if target.subset_category else "",
        f"level:{target.subset_level}" if target.subset_level else "",
    ]
    return "+".join(part for part in parts if part)


def unit_of(indicator: str) -> str:
    """The unit a target's threshold is given in: a count of projects, or a percentage."""
    return str(pgettext_lazy("unit", "projects")) if indicator in COUNTS else "%"


def units() -> dict[str, str]:
    return {indicator: unit_of(indicator) for indicator in Indicator.values}


def threshold_help() -> str:
    rates = "、".join(str(label) for value, label in Indicator.choices if value not in COUNTS)
    counts = "、".join(str(label) for value, label in Indicator.choices if value in COUNTS)
    return str(
        _(
            "Thresholds: %(rates)s as a percentage from 0 to 100; %(counts)s as a number of projects."
        )
        % {"rates": rates, "counts": counts}
    )


class SubsetField(forms.ChoiceField):
    """The part of the campaign's entries a target counts: a list of the plan year, a
    category, a level, or all of them. Cleans to the target's subset fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lists: dict[int, KeyProjectList] = {}

    def offer(self, lists: Iterable[KeyProjectList], current: str = "") -> None:
        """The choices: the year's lists, the categories and the levels; and the row's own
        subset when it is none of these (a target of several parts, or a list of the year
        chosen before), so that it shows as it is rather than changed unseen."""
        self.lists = {item.pk: item for item in lists}
        named = [(f"list:{pk}", item.name) for pk, item in self.lists.items()]
        categories = [(f"category:{v}", label) for v, label in ProjectCategory.choices]
        levels = [(f"level:{v}", label) for v, label in AnnualPlanLevel.choices]
        groups: list[Any] = [("", _("All the campaign's projects"))]
        if named:
            groups.append((_("Key-project list"), named))
        groups += [(_("Category"), categories), (_("Level"), levels)]
        if current and current not in {value for value, _label in named + categories + levels}:
            groups.append((current, self.describe(current)))
        self.choices = groups

    def describe(self, value: str) -> str:
        """A subset in words; a list of another year says its year."""
        names = dict(ProjectCategory.choices) | dict(AnnualPlanLevel.choices)
        words = []
        for part in value.split("+"):
            kind, _sep, key = part.partition(":")
            found = None
            if kind == "list" and key.isdecimal():
                found = self.lists.get(int(key)) or KeyProjectList.objects.filter(pk=key).first()
            if found is None:
                words.append(str(names.get(key, key)))
            elif found.pk in self.lists:
                words.append(found.name)
            else:
                words.append(f"{found.name}（{found.year}）")
        return "、".join(words)

    def parts(self, value: str) -> dict[str, Any] | str:
        """The subset fields of a value, or why it is refused."""
        subset: dict[str, Any] = {"subset_list": None, "subset_category": "", "subset_level": ""}
        for part in filter(None, value.split("+")):
            kind, _sep, key = part.partition(":")
            if kind == "list" and key.isdecimal():
                if int(key) not in self.lists:
                    if KeyProjectList.objects.filter(pk=int(key)).exists():
                        return str(_("A target's list must be of the campaign's year."))
                    return str(_("Choose the target's subset among those offered."))
                subset["subset_list"] = self.lists[int(key)]
            elif key in SUBSET_VALUES.get(kind, ()):
                subset[SUBSET_FIELDS[kind]] = key
            else:
                return str(_("Choose the target's subset among those offered."))
        return subset

    def validate(self, value: Any) -> None:
        problem = self.parts(value or "")
        if isinstance(problem, str):
            raise forms.ValidationError(problem, code="invalid_choice")

    def clean(self, value: Any) -> dict[str, Any]:
        value = super().clean(value)
        found = self.parts(value or "")
        assert not isinstance(found, str)
        return found


class TargetForm(forms.Form):
    """One target: an indicator over the campaign's entries or a subset of them, compared
    with a threshold. A row left as it was offered is no target."""

    indicator = forms.ChoiceField(
        label=_("Indicator"),
        choices=[("", _("— indicator —")), *Indicator.choices],
        error_messages={"required": _("Choose the indicator.")},
    )
    subset = SubsetField(label=_("Counted over"), required=False)
    comparison = forms.ChoiceField(
        label=_("Comparison"), choices=Comparison.choices, initial=Comparison.AT_LEAST
    )
    threshold = forms.DecimalField(
        label=_("Threshold"),
        max_digits=12,
        decimal_places=2,
        error_messages={"required": _("Give the threshold.")},
    )

    def __init__(self, *args: Any, lists: list[KeyProjectList], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subset"]
        assert isinstance(field, SubsetField)
        field.offer(lists, str(self["subset"].value() or ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            problem = target_problem(self.spec())
            if problem:
                self.add_error("threshold", problem)
        return cleaned

    def spec(self) -> TargetSpec:
        data = self.cleaned_data
        return TargetSpec(
            indicator=data["indicator"],
            threshold=data["threshold"],
            comparison=data["comparison"],
            **data["subset"],
        )

    @property
    def unit(self) -> str:
        """The unit of the row's threshold, for the indicator shown."""
        return unit_of(str(self["indicator"].value() or ""))


class BaseTargetFormSet(forms.BaseFormSet[TargetForm]):
    def specs(self) -> list[TargetSpec]:
        """The targets written on the rows, in their order (removed and empty rows left
        out); call once the formset is valid."""
        return [
            form.spec()
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


TargetFormSet = forms.formset_factory(
    TargetForm, formset=BaseTargetFormSet, extra=1, can_delete=True, max_num=20
)


def plain(value: Decimal) -> Decimal:
    """A threshold as a person writes it: 100, not 100.00."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def initial_targets(campaign: Campaign) -> list[dict[str, Any]]:
    return [
        {
            "indicator": target.indicator,
            "subset": subset_value(target),
            "comparison": target.comparison,
            "threshold": plain(target.threshold),
        }
        for target in campaign.targets.all()
    ]


def rows_of(formset: forms.BaseFormSet[TargetForm]) -> list[dict[str, Any]]:
    """The rows as written, without the removed and the empty ones: what a form drawn again
    (a row added, the lists of another year) starts from."""
    rows = []
    for form in formset.forms:
        values = {name: form[name].value() for name in TargetForm.base_fields}
        if form["DELETE"].value() or not (values["indicator"] or values["threshold"]):
            continue
        rows.append(values)
    return rows

"""The batch form: name, date, place and region (the regions the dispatcher may use)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaodu.accounts.models import OrgUnit
from tiaodu.campaigns.models import GroundbreakingBatch
from tiaodu.campaigns.permissions import batch_regions
from tiaodu.campaigns.services import NAME_MAX, PLACE_MAX
from tiaodu.core.scoping import Actor

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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

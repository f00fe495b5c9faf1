"""Campaigns (百日会战, DOMAIN.md §8): a window, a scope and targets. Groundbreaking batches
(集中开工): a day and a place where a region starts a batch of its new-start projects together."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaodu.accounts.models import OrgUnit
from tiaodu.campaigns.choices import ChangeKind, ChangeStatus, Comparison, Indicator
from tiaodu.core.models import TimeStampedModel
from tiaodu.core.scoping import ScopeFields
from tiaodu.projects.choices import AnnualPlanLevel, ProjectCategory
from tiaodu.projects.models import AnnualPlan, KeyProjectList


class Campaign(TimeStampedModel):
    """A time-boxed drive over the plan entries of a year: those on its lists, of its levels
    and in its regions (each empty: no restriction)."""

    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("plan year"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    lists = models.ManyToManyField(
        KeyProjectList, verbose_name=_("key-project lists"), blank=True, related_name="+"
    )
    levels = models.JSONField(_("levels"), default=list, blank=True)
    regions = models.ManyToManyField(
        OrgUnit, verbose_name=_("regions"), blank=True, related_name="+"
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The final comparison of regions (大比拼) as it stood at the window's end, once taken.
    final = models.JSONField(_("final comparison"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="campaign_window")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level_labels(self) -> list[str]:
        """The campaign's levels as a person reads them."""
        labels = dict(AnnualPlanLevel.choices)
        return [str(labels.get(level, level)) for level in self.levels]


class Target(models.Model):
    """One target of a campaign: an indicator over the campaign's entries (or a subset of
    them: a list, a category, a level), compared with a threshold."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    subset_list = models.ForeignKey(
        KeyProjectList,
        verbose_name=_("only the list"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subset_category = models.CharField(
        _("only the category"), max_length=16, choices=ProjectCategory.choices, blank=True
    )
    subset_level = models.CharField(
        _("only the level"), max_length=16, choices=AnnualPlanLevel.choices, blank=True
    )
    comparison = models.CharField(
        _("comparison"), max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["campaign", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_indicator_display()}"

    @property
    def subset(self) -> str:
        """The subset in words ("" for all the campaign's entries)."""
        parts = [
            self.subset_list.name if self.subset_list_id and self.subset_list else "",
            self.get_subset_category_display() if self.subset_category else "",
            self.get_subset_level_display() if self.subset_level else "",
        ]
        return "、".join(part for part in parts if part)


class CampaignDay(models.Model):
    """A campaign's overall value of each target on a day, recorded by the daily round (the
    trend chart reads these): {target id: value}."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="days"
    )
    day = models.DateField(_("day"))
    values = models.JSONField(_("values"), default=dict)

    class Meta:
        verbose_name = _("campaign day")
        verbose_name_plural = _("campaign days")
        ordering = ["campaign", "day"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "day"], name="campaignday_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.day}"


# Groundbreaking batches (集中开工).
class GroundbreakingBatch(TimeStampedModel):
    """A groundbreaking batch: its name, date and place, and the region whose new-start plan
    entries of the date's year it gathers."""

    name = models.CharField(_("batch name"), max_length=100)
    date = models.DateField(_("groundbreaking date"))
    place = models.CharField(
        pgettext_lazy("groundbreaking batch", "place"), max_length=200, blank=True
    )
    region = models.ForeignKey(
        OrgUnit, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    plans = models.ManyToManyField(
        AnnualPlan,
        verbose_name=_("projects"),
        through="BatchEntry",
        related_name="groundbreaking_batches",
        blank=True,
    )

    # A batch is its region's: the region's dispatchers and leaders reach it.
    scope_fields = ScopeFields(region_path="region__path")

    class Meta:
        verbose_name = _("groundbreaking batch")
        verbose_name_plural = _("groundbreaking batches")
        ordering = ["-date", "name"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    @property
    def year(self) -> int:
        return self.date.year

    def get_absolute_url(self) -> str:
        return reverse("campaigns:batch", args=[self.pk])


class BatchEntry(models.Model):
    """A plan entry in a batch; an entry is in one batch at most."""

    batch = models.ForeignKey(
        GroundbreakingBatch,
        verbose_name=_("groundbreaking batch"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    annual_plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("annual plan entry"), on_delete=models.CASCADE, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    # Reached as its plan entry's project is (a reporter sees its project's batch).
    scope_fields = AnnualPlan.scope_fields.through("annual_plan")

    class Meta:
        verbose_name = _("batch entry")
        verbose_name_plural = _("batch entries")
        constraints = [
            models.UniqueConstraint(fields=["annual_plan"], name="batchentry_one_batch_per_entry")
        ]

    def __str__(self) -> str:
        return f"{self.batch} · {self.annual_plan}"


class ListChange(TimeStampedModel):
    """A proposed change of a key-project list (动态调整, DOMAIN.md §8), decided by a leader.

    A replacement takes `outgoing` off `key_list` and puts `incoming` on it; a promotion
    takes `outgoing` off `key_list` and puts it on `to_list`. Nothing changes until it is
    approved; then the memberships change from `effective` (the day of the approval), so
    the figures of earlier days keep the lists as they stood.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ChangeKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PROPOSED
    )
    key_list = models.ForeignKey(
        KeyProjectList,
        verbose_name=_("key-project list"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_list = models.ForeignKey(
        KeyProjectList,
        verbose_name=_("promoted onto"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    outgoing = models.ForeignKey(
        AnnualPlan,
        verbose_name=_("outgoing entry"),
        on_delete=models.PROTECT,
        related_name="list_changes_out",
    )
    incoming = models.ForeignKey(
        AnnualPlan,
        verbose_name=_("incoming entry"),
        on_delete=models.PROTECT,
        related_name="list_changes_in",
        null=True,
        blank=True,
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        related_name="list_changes",
        null=True,
        blank=True,
    )
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    effective = models.DateField(_("effective from"), null=True, blank=True)

    class Meta:
        verbose_name = _("list change")
        verbose_name_plural = _("list changes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="replace", incoming__isnull=False, to_list__isnull=True)
                    | Q(kind="promote", incoming__isnull=True, to_list__isnull=False)
                ),
                name="listchange_kind_fields",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="listchange_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.key_list} · {self.outgoing}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:change", args=[self.pk])

"""The financing-needs list (融资需求清单, DOMAIN.md §11): an edition of a region's list, the
projects' needs on it, and the financial institutions' answers to the needs."""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.models import TimeStampedModel
from tiaodu.core.scoping import ScopeFields
from tiaodu.financing.choices import (
    FinancingKind,
    FinancingListStatus,
    NeedStage,
    ProposalStatus,
)
from tiaodu.projects.models import Project

# Every two months: six editions a year.
EDITIONS_A_YEAR = 6


class FinancingList(TimeStampedModel):
    """One edition of a region's financing-needs list (2026年第6期): compiled by the region's
    dispatchers, published to the financial institutions, closed when it is answered."""

    region = models.ForeignKey(
        OrgUnit,
        verbose_name=pgettext_lazy("financing", "region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(
        _("edition number"),
        validators=[MinValueValidator(1), MaxValueValidator(EDITIONS_A_YEAR)],
    )
    status = models.CharField(
        pgettext_lazy("financing list", "status"),
        max_length=16,
        choices=FinancingListStatus.choices,
        default=FinancingListStatus.DRAFT,
    )
    note = models.TextField(_("note to the institutions"), blank=True, max_length=2000)
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compiled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(
        pgettext_lazy("financing list", "closed at"), null=True, blank=True
    )

    # The region's dispatchers and leaders reach every edition; the institutions and the
    # owner units reach the published ones through the selectors.
    scope_fields: ClassVar[ScopeFields] = ScopeFields(region_path="region__path")

    class Meta:
        verbose_name = _("financing-needs list")
        verbose_name_plural = _("financing-needs lists")
        ordering = ["-year", "-number", "region__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "number"], name="financing_list_one_edition"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def edition(self) -> str:
        """The edition as it is written: 2026年第6期."""
        return gettext("%(year)s, no. %(number)s") % {"year": self.year, "number": self.number}

    @property
    def title(self) -> str:
        return gettext("%(region)s financing-needs list, %(edition)s") % {
            "region": self.region.name,
            "edition": self.edition,
        }

    def get_absolute_url(self) -> str:
        return reverse("financing:detail", args=[self.pk])


class FinancingNeed(TimeStampedModel):
    """One project's need on an edition: how much (万元), of which kind, for what, at which
    stage of the project."""

    financing_list = models.ForeignKey(
        FinancingList,
        verbose_name=_("financing-needs list"),
        on_delete=models.CASCADE,
        related_name="needs",
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(
        _("amount needed (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    kind = models.CharField(_("kind of financing"), max_length=16, choices=FinancingKind.choices)
    purpose = models.CharField(_("purpose"), max_length=200)
    stage = models.CharField(_("project stage"), max_length=16, choices=NeedStage.choices)

    scope_fields: ClassVar[ScopeFields] = Project.scope_fields.through("project")

    class Meta:
        verbose_name = _("financing need")
        verbose_name_plural = _("financing needs")
        ordering = ["financing_list", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["financing_list", "project", "kind"], name="financing_need_one_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.name} · {self.get_kind_display()}"


class FinancingAnswer(TimeStampedModel):
    """A financial institution's intent on one need: how much it would lend or invest, on
    which terms, and whom the owner unit calls."""

    need = models.ForeignKey(
        FinancingNeed, verbose_name=_("financing need"), on_delete=models.CASCADE,
        related_name="answers",
    )  # fmt: skip
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.CharField(_("financial institution"), max_length=100)
    amount = models.DecimalField(
        _("amount intended (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    terms = models.CharField(_("terms"), max_length=500)
    contact_person = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=32)

    # The project's readers (its owner unit, the region's dispatchers) reach an answer
    # through its project; an institution reaches its own through the selectors.
    scope_fields: ClassVar[ScopeFields] = Project.scope_fields.through("need__project")

    class Meta:
        verbose_name = _("financing answer")
        verbose_name_plural = _("financing answers")
        ordering = ["need", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "answered_by"], name="financing_answer_one_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.need}"


class NeedProposal(TimeStampedModel):
    """An owner unit's need proposed for a draft edition: the dispatcher puts it on the list
    (it becomes a need) or leaves it out."""

    financing_list = models.ForeignKey(
        FinancingList, verbose_name=_("financing-needs list"), on_delete=models.CASCADE,
        related_name="proposals",
    )  # fmt: skip
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(
        _("amount needed (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    kind = models.CharField(_("kind of financing"), max_length=16, choices=FinancingKind.choices)
    purpose = models.CharField(_("purpose"), max_length=200)
    stage = models.CharField(_("project stage"), max_length=16, choices=NeedStage.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        pgettext_lazy("financing list", "status"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
    )
    need = models.OneToOneField(
        FinancingNeed, verbose_name=_("financing need"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="proposal",
    )  # fmt: skip

    scope_fields: ClassVar[ScopeFields] = Project.scope_fields.through("project")

    class Meta:
        verbose_name = _("proposed financing need")
        verbose_name_plural = _("proposed financing needs")
        ordering = ["financing_list", "pk"]

    def __str__(self) -> str:
        return f"{self.project.name} · {self.get_kind_display()}"

"""The monthly judgment (DOMAIN.md §6): versioned rule sets, one card per plan entry and
month, and the history of each month's computations."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.media.models import StoredFile
from tiaodu.core.models import TimeStampedModel
from tiaodu.core.scoping import ScopeFields
from tiaodu.projects.models import AnnualPlan, Project
from tiaodu.scoring.choices import AppealStatus, Colour, ProposalStatus
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.supervision.notices.models import Notice

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _ratio(label: "StrOrPromise", default: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        default=Decimal(default),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )


def _months(label: "StrOrPromise", default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )


def _weight(label: "StrOrPromise", default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MaxValueValidator(100)]
    )


class RuleSet(TimeStampedModel):
    """One version of the card rules, in force from the first day of a month until a later
    version's. A version is never changed once written: a new one replaces it."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    investment_yellow = _ratio(_("investment: yellow below"), "0.80")
    investment_red = _ratio(_("investment: red below"), "0.60")
    start_yellow_months = _months(_("start: yellow from months late"), 1)
    start_red_months = _months(_("start: red from months late"), 3)
    statistics_yellow_months = _months(_("statistics inclusion: yellow from months"), 1)
    statistics_red_months = _months(_("statistics inclusion: red from months"), 2)
    weight_investment = _weight(_("weight of investment"), 50)
    weight_milestones = _weight(_("weight of milestones"), 20)
    weight_statistics = _weight(_("weight of statistics inclusion"), 10)
    weight_reporting = _weight(_("weight of reporting"), 10)
    weight_problems = _weight(_("weight of problems"), 10)
    problem_deduction = models.PositiveSmallIntegerField(
        _("points deducted per overdue problem"),
        default=5,
        validators=[MaxValueValidator(100)],
    )
    appeal_working_days = models.PositiveSmallIntegerField(
        _("working days to appeal"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )

    class Meta:
        verbose_name = _("card rule set")
        verbose_name_plural = _("card rule sets")
        ordering = ["-effective_from", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(investment_red__lte=models.F("investment_yellow")),
                name="ruleset_investment_order",
            ),
            models.CheckConstraint(
                condition=Q(start_red_months__gte=models.F("start_yellow_months")),
                name="ruleset_start_order",
            ),
            models.CheckConstraint(
                condition=Q(statistics_red_months__gte=models.F("statistics_yellow_months")),
                name="ruleset_statistics_order",
            ),
            models.CheckConstraint(
                condition=Q(effective_from__day=1), name="ruleset_from_first_of_month"
            ),
        ]

    def __str__(self) -> str:
        return _("Rule set v%(version)d (from %(month)s)") % {
            "version": self.version,
            "month": self.effective_from.strftime("%Y-%m"),
        }

    @property
    def weights(self) -> dict[str, int]:
        return {
            "investment": self.weight_investment,
            "milestones": self.weight_milestones,
            "statistics": self.weight_statistics,
            "reporting": self.weight_reporting,
            "problems": self.weight_problems,
        }


class Card(TimeStampedModel):
    """A plan entry's card for a month: its colour, score, every input and each
    dimension's colour, reason and what would restore blue. An appeal may revise the
    colour; the computed one stays beside it."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("plan entry"), on_delete=models.CASCADE, related_name="cards"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="cards"
    )
    month = models.DateField(_("month"))
    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="cards"
    )
    colour = models.CharField(_("computed colour"), max_length=8, choices=Colour.choices)
    revised_colour = models.CharField(
        _("revised colour"), max_length=8, choices=Colour.choices, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    dimensions = models.JSONField(_("dimensions"), default=dict)
    inputs = models.JSONField(_("inputs"), default=dict)
    restore = models.JSONField(_("what restores blue"), default=list)
    evidence = models.CharField(_("evidence"), max_length=8, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    # Reached as its project is.
    scope_fields = Project.scope_fields.through("project")

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["-month", "project__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "month"], name="card_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="card_month_first_day"),
        ]
        indexes = [
            # The dashboard's data stamp reads the latest change (analytics.dashboard).
            models.Index(fields=["updated_at"], name="card_updated_idx"),
            models.Index(fields=["month", "colour"], name="card_month_colour_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.month:%Y-%m} · {self.get_final_colour_display()}"

    @property
    def final_colour(self) -> str:
        """The colour that counts: the revised one after an appeal, else the computed one."""
        return self.revised_colour or self.colour

    def get_final_colour_display(self) -> str:
        return str(Colour(self.final_colour).label)


class CardRun(models.Model):
    """One computation of a month's cards: who ran it, why, and what changed."""

    month = models.DateField(_("month"))
    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="runs"
    )
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    run_at = models.DateTimeField(_("run at"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    cards = models.PositiveIntegerField(_("cards"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    removed = models.PositiveIntegerField(_("removed"), default=0)
    # [{"plan": id, "code", "name", "from": colour or "", "to": colour or ""}] of the changes.
    changes = models.JSONField(_("changes"), default=list)

    class Meta:
        verbose_name = _("card computation")
        verbose_name_plural = _("card computations")
        ordering = ["-run_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.run_at:%Y-%m-%d %H:%M}"


class DistrictTarget(TimeStampedModel):
    """What a district is to achieve in a plan year on Qingdao's three assessment
    indicators: new starts, new inclusions in the statistics (入统) and completions."""

    region = models.ForeignKey(
        OrgUnit, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    new_starts = models.PositiveIntegerField(_("new starts"), default=0)
    inclusions = models.PositiveIntegerField(_("new inclusions in the statistics"), default=0)
    completions = models.PositiveIntegerField(_("completions"), default=0)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_fields = ScopeFields(region_path="region__path")

    class Meta:
        verbose_name = _("district target")
        verbose_name_plural = _("district targets")
        ordering = ["-year", "region__path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="districttarget_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.year}"


class Proposal(TimeStampedModel):
    """A notice the supervision ladder (DOMAIN.md §7) proposes about a project; a dispatcher
    issues it (the notice then names no proposal, this row names the notice) or dismisses it
    with a reason. Nothing is issued without a person."""

    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="proposals"
    )
    recipient_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("recipient unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    # What the ladder saw: {"red_months": 2} / {"problem": id} / {"notice": id}.
    basis = models.JSONField(_("basis"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    dismissal_reason = models.CharField(_("reason for dismissal"), max_length=500, blank=True)
    notice = models.ForeignKey(
        Notice,
        verbose_name=_("notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_fields = ScopeFields(region_path="project__region__path")

    class Meta:
        verbose_name = _("supervision proposal")
        verbose_name_plural = _("supervision proposals")
        ordering = ["-month", "project__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "month"], name="proposal_unique_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.project}"


class Appeal(TimeStampedModel):
    """An owner unit's or a district's appeal against a card, and the dispatcher's decision:
    upheld, or revised to another colour (the card keeps the computed one beside it)."""

    card = models.ForeignKey(
        Card, verbose_name=_("card"), on_delete=models.CASCADE, related_name="appeals"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised at"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    revised_colour = models.CharField(
        _("revised colour"), max_length=8, choices=Colour.choices, blank=True
    )

    # Reached as its card's project is.
    scope_fields = Project.scope_fields.through("card__project")

    class Meta:
        verbose_name = _("card appeal")
        verbose_name_plural = _("card appeals")
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.card} · {self.get_status_display()}"


class AppealFile(StoredFile):
    """Evidence attached to an appeal, accepted by its content (`core.media`)."""

    upload_folder = "appeals"

    appeal = models.ForeignKey(
        Appeal, verbose_name=_("appeal"), on_delete=models.CASCADE, related_name="files"
    )

    class Meta:
        verbose_name = _("appeal file")
        verbose_name_plural = _("appeal files")

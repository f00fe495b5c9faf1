"""Dispatch rounds: cycle rules, periods, lock exceptions, reports and their files."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.media.choices import FileKind
from tiaodu.core.media.models import StoredFile
from tiaodu.core.models import TimeStampedModel
from tiaodu.projects.choices import AnnualPlanLevel
from tiaodu.projects.models import MONEY_DIGITS, AnnualPlan, KeyProjectList, Project
from tiaodu.reporting.choices import Cycle, ReportStatus


class CycleRule(TimeStampedModel):
    """The cycle on which the entries of one list, or of one level, report.

    An entry on several lists, or with a rule for its level too, reports once, on the finest
    of its cycles (DOMAIN.md §3); an entry no rule names reports on the site's default cycle.
    """

    key_project_list = models.OneToOneField(
        KeyProjectList,
        verbose_name=_("key-project list"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cycle_rule",
    )
    level = models.CharField(_("level"), max_length=16, choices=AnnualPlanLevel.choices, blank=True)
    cycle = models.CharField(_("cycle"), max_length=16, choices=Cycle.choices)

    class Meta:
        verbose_name = _("cycle rule")
        verbose_name_plural = _("cycle rules")
        constraints = [
            models.CheckConstraint(
                condition=(Q(key_project_list__isnull=False) & Q(level=""))
                | (Q(key_project_list__isnull=True) & ~Q(level="")),
                name="cyclerule_list_or_level",
            ),
            models.UniqueConstraint(
                fields=["level"], condition=~Q(level=""), name="cyclerule_unique_level"
            ),
        ]

    def __str__(self) -> str:
        subject = self.key_project_list or self.get_level_display()
        return f"{subject} · {self.get_cycle_display()}"


class Period(models.Model):
    """One reporting period of a cycle, with its due and lock dates (working days)."""

    cycle = models.CharField(_("cycle"), max_length=16, choices=Cycle.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    due_date = models.DateField(_("due date"))
    lock_date = models.DateField(_("lock date"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["-end", "cycle"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "start"], name="period_unique_start"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_order"),
        ]
        indexes = [models.Index(fields=["end"], name="period_end_idx")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from tiaodu.reporting.periods import PeriodSpan

        return str(PeriodSpan(Cycle(self.cycle), self.start, self.end).label)


class LockException(TimeStampedModel):
    """A dispatcher lets one owner unit report for a locked period until a date."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="exceptions"
    )
    owner_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("owner unit"), on_delete=models.CASCADE, related_name="+"
    )
    until = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=255)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lock exception")
        verbose_name_plural = _("lock exceptions")
        constraints = [
            models.UniqueConstraint(fields=["period", "owner_unit"], name="lockexception_unique")
        ]

    def __str__(self) -> str:
        return f"{self.owner_unit} · {self.period}"


class Report(TimeStampedModel):
    """A project's progress report for one period; amendment 0 is the first, n the n-th.

    An approved report is a record: a correction is a new amendment, and the reports it
    corrects stay readable. `is_current` marks the approved report that counts.
    """

    plan = models.ForeignKey(
        AnnualPlan,
        verbose_name=_("annual plan entry"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports"
    )
    amendment = models.PositiveSmallIntegerField(_("amendment"), default=0)
    status = models.CharField(
        _("status"), max_length=24, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    is_current = models.BooleanField(_("counts"), default=False)

    investment = models.DecimalField(
        _("investment this period (10k yuan)"),
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # The year's special-bond funds spent by the period's end, cumulative, as the owner unit
    # states it (only for an entry with bond funds; None: not stated this period).
    bond_funds_spent = models.DecimalField(
        _("special-bond funds spent this year (10k yuan)"),
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
    )
    physical_progress = models.TextField(_("physical progress"), blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_completion = models.DateField(_("actual completion"), null=True, blank=True)
    actual_production = models.DateField(_("actual production"), null=True, blank=True)
    statistics_inclusion = models.DateField(_("statistics inclusion"), null=True, blank=True)
    workers_on_site = models.PositiveIntegerField(_("workers on site"), null=True, blank=True)
    next_plan = models.TextField(_("next period's plan"), blank=True)
    new_problems = models.TextField(_("new problems"), blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    district_approved_at = models.DateTimeField(
        _("approved by the district at"), null=True, blank=True
    )
    district_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by the district by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)

    # Reached as its project is.
    scope_fields = Project.scope_fields.through("project")

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period__end", "project_id", "-amendment"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period", "amendment"], name="report_unique_amendment"
            ),
            models.UniqueConstraint(
                fields=["project", "period"],
                condition=Q(is_current=True),
                name="report_one_current",
            ),
            models.CheckConstraint(
                condition=Q(investment__isnull=True) | Q(investment__gte=Decimal(0)),
                name="report_investment_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(bond_funds_spent__isnull=True) | Q(bond_funds_spent__gte=Decimal(0)),
                name="report_bond_funds_spent_not_negative",
            ),
        ]
        indexes = [
            # The dashboard's data stamp reads the latest change (analytics.dashboard).
            models.Index(fields=["updated_at"], name="report_updated_idx"),
            models.Index(fields=["status", "period"], name="report_status_idx"),
            models.Index(fields=["plan", "is_current"], name="report_plan_current_idx"),
        ]

    def __str__(self) -> str:
        suffix = f" · {_('amendment')} {self.amendment}" if self.amendment else ""
        return f"{self.project} · {self.period}{suffix}"


class ReportFile(StoredFile):
    """A photo or video of a report, accepted by its content (`core.media`)."""

    upload_folder = "reports"

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=FileKind.choices)
    phash = models.CharField(_("perceptual hash"), max_length=16, blank=True, db_index=True)
    # The nearest earlier photo of another period or project that looks the same (perceptual
    # hash within `phash.NEAR` bits), found when this one was uploaded (validation rule 5).
    looks_like = models.ForeignKey(
        "self",
        verbose_name=_("looks like"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["created_at", "id"]


class ReportUrge(models.Model):
    """催报: a dispatcher told the reporters of one owner unit, at once, that reports of a
    period are missing. One per unit, period and day (`reporting.urging`)."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="urges"
    )
    owner_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("owner unit"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    urged_at = models.DateTimeField(_("urged at"))
    urged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("urged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reporters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("reporters"), related_name="+"
    )
    projects = models.JSONField(_("projects"), default=list, blank=True)

    class Meta:
        verbose_name = _("urge to report")
        verbose_name_plural = _("urges to report")
        ordering = ["-urged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "owner_unit", "day"], name="reporturge_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_unit} · {self.period} · {self.day}"

"""The project library: projects, annual plan entries, key-project lists and procedures."""

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.models import OrgUnit, Person
from tiaodu.core.models import TimeStampedModel
from tiaodu.core.scoping import ScopeFields
from tiaodu.core.validators import refuse_bidi_controls
from tiaodu.projects.choices import (
    AnnualPlanLevel,
    AnnualPlanNature,
    ProcedureKind,
    ProcedureStatus,
    ProjectCategory,
    ProjectFundingType,
    ReserveStage,
)
from tiaodu.projects.codes import validate_project_code

MONEY_DIGITS = 16  # up to 99,999,999,999,999.99 万元


class Project(TimeStampedModel):
    """An investment project in the library. Amounts are 万元; dates of the domain are dates."""

    code = models.CharField(
        _("project code"),
        max_length=24,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_project_code],
        help_text=_("National code YYYY-AAAAAA-BB-CC-NNNNNN (24 characters); optional."),
    )
    name = models.CharField(
        _("project name"), max_length=200, db_index=True, validators=[refuse_bidi_controls]
    )
    region = models.ForeignKey(
        OrgUnit, verbose_name=_("region"), on_delete=models.PROTECT, related_name="projects"
    )
    category = models.CharField(
        _("category"), max_length=16, choices=ProjectCategory.choices, default=ProjectCategory.OTHER
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    funding_type = models.CharField(
        _("funding type"), max_length=16, choices=ProjectFundingType.choices, blank=True
    )
    construction_content = models.TextField(_("construction content and scale"), blank=True)
    total_investment = models.DecimalField(
        _("total investment (10k yuan)"),
        validators=[MinValueValidator(Decimal(0))],
        max_digits=MONEY_DIGITS,
        decimal_places=2,
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(73)), MaxValueValidator(Decimal(136))],
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(3)), MaxValueValidator(Decimal(54))],
    )
    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_projects",
    )
    responsible_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_projects",
    )
    responsible_person = models.ForeignKey(
        Person,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipal_leader = models.ForeignKey(
        Person,
        verbose_name=_("municipal leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sponsoring_leader = models.ForeignKey(
        Person,
        verbose_name=_("sponsoring leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service_officer = models.ForeignKey(
        Person,
        verbose_name=_("service officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_completion = models.DateField(_("actual completion"), null=True, blank=True)
    actual_production = models.DateField(_("actual production"), null=True, blank=True)
    statistics_inclusion = models.DateField(_("statistics inclusion"), null=True, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)

    scope_fields = ScopeFields(
        region_path="region__path",
        owner_unit_path="owner_unit__path",
        responsible_unit_path="responsible_unit__path",
        leader_users=("municipal_leader__user", "sponsoring_leader__user"),
        service_officer_users=("service_officer__user",),
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-total_investment", "id"]
        # The library's default order; lets a large list's first page stop early.
        indexes = [
            # The dashboard's data stamp reads the latest change (analytics.dashboard).
            models.Index(fields=["updated_at"], name="project_updated_idx"),
            models.Index(fields=["-total_investment", "id"], name="project_investment_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_investment__gte=0), name="project_total_investment_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(actual_completion__isnull=True)
                | models.Q(actual_start__isnull=True)
                | models.Q(actual_completion__gte=models.F("actual_start")),
                name="project_completion_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])


class KeyProjectList(TimeStampedModel):
    """A named list of a year (省百大, 市百大…); a plan entry can be on several."""

    name = models.CharField(_("list name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("key-project list")
        verbose_name_plural = _("key-project lists")
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="list_unique_name")]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


# A project's relations, read with it (`select_related`) wherever all of them are shown or
# audited: its region, units and people.
PROJECT_RELATIONS = (
    "region",
    "owner_unit",
    "responsible_unit",
    "responsible_person",
    "municipal_leader",
    "sponsoring_leader",
    "service_officer",
)


class AnnualPlan(TimeStampedModel):
    """A project's place in one year's plan: nature, level, planned investment and dates."""

    # No index of its own: the unique (project, year) constraint's index serves its lookups.
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="plans",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    nature = models.CharField(_("nature"), max_length=16, choices=AnnualPlanNature.choices)
    level = models.CharField(_("level"), max_length=16, choices=AnnualPlanLevel.choices)
    reserve_stage = models.CharField(
        _("reserve stage"), max_length=32, choices=ReserveStage.choices, blank=True
    )
    planned_investment = models.DecimalField(
        _("annual planned investment (10k yuan)"),
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        max_digits=MONEY_DIGITS,
        decimal_places=2,
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    planned_production = models.DateField(_("planned production"), null=True, blank=True)
    # The year-to-date completed investment as a ledger stated it on `ytd_as_of` (DOMAIN.md
    # §5); approved reports of periods after that date add to it (the reporting app).
    ytd_completed = models.DecimalField(
        _("year-to-date completed investment (10k yuan)"),
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    ytd_as_of = models.DateField(_("year-to-date figure as of"), null=True, blank=True)
    # The year's special-bond funds (专项债券资金) allotted to the entry, and what was spent
    # of them in the year as the ledger stated it on `ytd_as_of` (the date of
    # `ytd_completed`); approved reports state the spending since (`Report.bond_funds_spent`,
    # read by `figure_conditions.bond_funds_spent`).
    bond_funds = models.DecimalField(
        _("special-bond funds (10k yuan)"),
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    bond_funds_spent = models.DecimalField(
        _("special-bond funds spent (10k yuan)"),
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    # The approved reports' snapshot, refreshed by the service that approves a report: the
    # investment of the counting reports of periods that end after `reported_since` (the
    # year-to-date figure's date when the snapshot was taken; None: the whole year), up to
    # `reported_through`, the end of the latest of them. Read by `figure_conditions`.
    reported_investment = models.DecimalField(
        _("reported investment"), max_digits=MONEY_DIGITS, decimal_places=2, default=Decimal(0)
    )
    reported_since = models.DateField(_("reported since"), null=True, blank=True)
    reported_through = models.DateField(_("reported through"), null=True, blank=True)
    # Reached as its project is.
    scope_fields = Project.scope_fields.through("project")

    class Meta:
        verbose_name = _("annual plan entry")
        verbose_name_plural = _("annual plan entries")
        ordering = ["-year"]
        indexes = [
            # The dashboard's data stamp reads the latest change (analytics.dashboard).
            models.Index(fields=["updated_at"], name="annualplan_updated_idx"),
            models.Index(fields=["year", "nature"], name="annualplan_year_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="annualplan_unique_year"),
            models.CheckConstraint(
                condition=models.Q(nature="reserve") | models.Q(reserve_stage=""),
                name="annualplan_stage_only_for_reserve",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_investment__gte=0), name="annualplan_investment_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(ytd_completed__gte=0), name="annualplan_ytd_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(bond_funds__gte=0), name="annualplan_bond_funds_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(bond_funds_spent__gte=0)
                & models.Q(bond_funds_spent__lte=models.F("bond_funds")),
                name="annualplan_bond_spent_within_funds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.year}"

    @property
    def current_lists(self) -> list[KeyProjectList]:
        """The lists the entry is on now (its open memberships), by name. Read from the
        prefetch `lists.with_current_lists` made, else with one query."""
        memberships = getattr(self, "open_memberships", None)
        if memberships is None:
            memberships = list(
                self.memberships.filter(end__isnull=True).select_related("key_project_list")
            )
        return sorted((item.key_project_list for item in memberships), key=lambda item: item.name)


class ListMembershipQuerySet(models.QuerySet["ListMembership"]):
    def on(self, day: dt.date) -> "ListMembershipQuerySet":
        """The memberships that stood on `day`: started on or before it, not ended by it."""
        return self.filter(models.Q(end__isnull=True) | models.Q(end__gt=day), start__lte=day)


class ListMembership(models.Model):
    """A plan entry on a list from `start` until `end` (the first day it is no longer on;
    None while it is). Lists are dated so that a date's figures, cards and campaigns read
    each list as it stood that day: a replacement today leaves last month's figures as they
    were (DOMAIN.md §8). `tiaodu.projects.lists` writes and reads them."""

    key_project_list = models.ForeignKey(
        KeyProjectList,
        verbose_name=_("key-project list"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    annual_plan = models.ForeignKey(
        AnnualPlan,
        verbose_name=_("annual plan entry"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    start = models.DateField(_("on the list from"))
    end = models.DateField(_("off the list from"), null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    objects = ListMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("list membership")
        verbose_name_plural = _("list memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["key_project_list", "annual_plan"],
                condition=models.Q(end__isnull=True),
                name="listmembership_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="listmembership_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["key_project_list", "start"], name="listmembership_list_idx"),
            models.Index(fields=["annual_plan", "start"], name="listmembership_plan_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key_project_list} · {self.annual_plan}"


class Procedure(models.Model):
    """One item of a project's procedures checklist (前期手续)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="procedures"
    )
    kind = models.CharField(_("procedure"), max_length=32, choices=ProcedureKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ProcedureStatus.choices, default=ProcedureStatus.PENDING
    )
    completed_on = models.DateField(_("date"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="procedure_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.get_status_display()}"


class TaskForce(TimeStampedModel):
    """A task force (专班): a head (班长), a responsible person, members and its duties; it
    serves one or more projects, and its members who sign in see them (`visibility`)."""

    name = models.CharField(_("task force name"), max_length=100)
    head = models.ForeignKey(
        Person,
        verbose_name=_("task force head"),
        on_delete=models.PROTECT,
        related_name="headed_task_forces",
    )
    responsible_person = models.ForeignKey(
        Person,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    members = models.ManyToManyField(
        Person, verbose_name=_("members"), related_name="task_forces", blank=True
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("projects"), related_name="task_forces", blank=True
    )
    duties = models.TextField(_("duties"), blank=True)

    class Meta:
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:taskforce_detail", args=[self.pk])


# The import page's record of an uploaded ledger and the export page's of a large export
# (registered with the app here).
from tiaodu.projects.export_models import LibraryExport, LibraryExportStatus  # noqa: E402, F401
from tiaodu.projects.import_models import (  # noqa: E402, F401
    LedgerImport,
    LedgerImportPhase,
    LedgerImportRow,
    LedgerImportStatus,
    LedgerRowStatus,
)

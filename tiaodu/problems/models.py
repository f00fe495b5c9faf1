"""The problem ledger: problems raised on projects, and the comments of their closed loop."""

import posixpath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit
from tiaodu.core.models import TimeStampedModel
from tiaodu.core.scoping import ScopeFields
from tiaodu.problems.choices import ProblemCategory, ProblemLevel, ProblemSource, ProblemStatus
from tiaodu.projects.models import Project
from tiaodu.reporting.models import Report


class Problem(TimeStampedModel):
    """A problem that holds a project back, from its report to its closing (DOMAIN.md §7).

    Only `problems.services` writes it. Whether it is overdue is computed against the day
    (`selectors.with_overdue`), never stored.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="problems"
    )
    report = models.ForeignKey(
        Report,
        verbose_name=_("progress report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    source = models.CharField(_("source"), max_length=16, choices=ProblemSource.choices)
    category = models.CharField(
        _("problem category"), max_length=16, choices=ProblemCategory.choices
    )
    level = models.CharField(_("problem level"), max_length=16, choices=ProblemLevel.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    assigned_department = models.ForeignKey(
        OrgUnit,
        verbose_name=_("assigned department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": OrgUnitKind.DEPARTMENT},
        related_name="assigned_problems",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_problems",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    deadline = models.DateField(_("resolution deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.REPORTED
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    escalations = models.PositiveSmallIntegerField(_("escalations"), default=0)

    # A department handler reaches a problem through the department it is assigned to,
    # not through the project's responsible unit (DOMAIN.md §2).
    scope_fields = ScopeFields(
        region_path="project__region__path",
        owner_unit_path="project__owner_unit__path",
        responsible_unit_path="assigned_department__path",
        leader_users=("project__municipal_leader__user", "project__sponsoring_leader__user"),
        service_officer_users=("project__service_officer__user",),
    )

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ProblemStatus.REPORTED) | Q(assigned_department__isnull=False),
                name="problem_assigned_has_department",
            ),
        ]
        indexes = [
            # The dashboard's data stamp reads the latest change (analytics.dashboard).
            models.Index(fields=["updated_at"], name="problem_updated_idx"),
            models.Index(fields=["status", "deadline"], name="problem_status_deadline_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ProblemComment(TimeStampedModel):
    """A remark on a problem by someone who may see it, with an optional attached file.

    The file is stored under a generated name; `original_name` keeps the uploader's name,
    reduced to a safe file name, for display and download.
    """

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("text"))
    file = models.FileField(_("file"), upload_to="problems/%Y/%m/", max_length=255, blank=True)
    original_name = models.CharField(_("original name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("problem comment")
        verbose_name_plural = _("problem comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]

    @property
    def extension(self) -> str:
        """The extension of what the file is: the stored file is named for its content."""
        stored = posixpath.basename(self.file.name or "")
        return stored.rpartition(".")[2].lower() if "." in stored else "bin"

    @property
    def download_name(self) -> str:
        """The uploader's name, given the extension of what the file is (a file uploaded as
        `evil.html` that is a PDF downloads as `evil.pdf`)."""
        return f"{posixpath.splitext(self.original_name)[0] or 'file'}.{self.extension}"

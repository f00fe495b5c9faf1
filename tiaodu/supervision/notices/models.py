"""Supervision notices (提示单, 督办单, 警示函, 约谈), their responses and their numbering."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.models import OrgUnit, Person
from tiaodu.core.models import TimeStampedModel
from tiaodu.core.scoping import ScopeFields
from tiaodu.projects.models import Project
from tiaodu.supervision.notices.choices import NoticeKind, NoticeStatus, notice_prefix


class NoticeCounter(models.Model):
    """The last number given to a kind of notice in a year.

    The issuing transaction locks this row, so that numbers have neither gaps nor repeats:
    a notice that fails to issue rolls its number back with it.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("notice counter")
        verbose_name_plural = _("notice counters")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="noticecounter_kind_year")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class Notice(TimeStampedModel):
    """A notice a dispatcher issues to a responsible unit about one or more projects."""

    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))
    recipient_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("recipient unit"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    sponsoring_leader = models.ForeignKey(
        Person,
        verbose_name=_("sponsoring leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    # A notice may also go to the head (班长) of a task force of its projects (DOMAIN.md §8).
    task_force_head = models.ForeignKey(
        Person,
        verbose_name=_("task force head"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task_force_notices",
    )
    projects = models.ManyToManyField(Project, verbose_name=_("projects"), related_name="notices")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    requirements = models.TextField(_("requirements"), blank=True)
    response_deadline = models.DateField(_("response deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # The region lookup crosses the projects (to-many): selectors de-duplicate.
    scope_fields = ScopeFields(
        region_path="projects__region__path",
        owner_unit_path="recipient_unit__path",
        responsible_unit_path="recipient_unit__path",
        leader_users=("sponsoring_leader__user",),
    )

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number"], name="notice_unique_number")
        ]
        indexes = [
            # The dashboard's data stamp reads the latest change (analytics.dashboard).
            models.Index(fields=["updated_at"], name="notice_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number_label} {self.subject}"

    @property
    def number_label(self) -> str:
        """The document number, e.g. 督办〔2026〕7号."""
        return f"{notice_prefix(self.kind)}〔{self.year}〕{self.number}号"

    def is_overdue(self, today: dt.date) -> bool:
        """Unanswered after its response deadline (computed, never stored)."""
        return self.status == NoticeStatus.ISSUED and today > self.response_deadline


class NoticeResponse(models.Model):
    """The recipient unit's answer to a notice, with its rectification plan."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="responses"
    )
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responder"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("response"))
    rectification_plan = models.TextField(_("rectification plan"), blank=True)
    responded_at = models.DateTimeField(_("responded at"))

    class Meta:
        verbose_name = _("notice response")
        verbose_name_plural = _("notice responses")
        ordering = ["responded_at", "id"]

    def __str__(self) -> str:
        return f"{self.notice.number_label} · {self.responder}"

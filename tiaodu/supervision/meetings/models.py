"""Consultations and joint meetings (会商, 联席会议): who met, on which problems of the
ledger, and what they decided on each. Registered with the app by `supervision/models.py`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaodu.accounts.models import OrgUnit, Person
from tiaodu.core.models import TimeStampedModel
from tiaodu.core.scoping import ScopeFields
from tiaodu.problems.choices import ProblemLevel
from tiaodu.problems.models import Problem
from tiaodu.supervision.meetings.choices import DecisionOutcome, MeetingKind


class Meeting(TimeStampedModel):
    """A consultation or joint meeting, with its agenda of problems and its minutes.

    `convening_unit` is the region of the dispatcher or the department of the handler who
    convened it: those above it see the meeting; the convener and the attendees with an
    account see it too (`meetings.selectors`). Only `meetings.services` writes it.
    """

    kind = models.CharField(_("kind of meeting"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(pgettext_lazy("meeting", "title"), max_length=200)
    date = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("convened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    convening_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("convening unit"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    chair = models.ForeignKey(
        Person,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chair_name = models.CharField(
        _("chair (name and position)"),
        max_length=100,
        blank=True,
        help_text=_("When the chair is not among the people on record."),
    )
    agenda = models.ManyToManyField(
        Problem, verbose_name=_("agenda problems"), related_name="meetings", blank=True
    )
    minutes = models.TextField(_("minutes"), blank=True)

    scope_fields = ScopeFields(
        region_path="convening_unit__path",
        responsible_unit_path="convening_unit__path",
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    @property
    def chair_label(self) -> str:
        return str(self.chair) if self.chair is not None else self.chair_name


class MeetingAttendee(models.Model):
    """One person present: an account of the site, or a unit, name and position as typed.

    The position is kept as it was on the day (an account's from its person record), so
    the minutes name each attendee as 姓名（职务） even after a change of post.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendees"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    title = models.CharField(_("position"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.label}".strip()

    @property
    def label(self) -> str:
        """姓名（职务）, or the name alone when no position is known."""
        return f"{self.name}（{self.title}）" if self.title else self.name


class MeetingDecision(TimeStampedModel):
    """What the meeting decided on one agenda problem, as carried out on the problem."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    problem = models.ForeignKey(
        Problem,
        verbose_name=_("problem"),
        on_delete=models.PROTECT,
        related_name="meeting_decisions",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=DecisionOutcome.choices)
    text = models.TextField(_("decision"))
    department = models.ForeignKey(
        OrgUnit,
        verbose_name=_("assigned department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("resolution deadline"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    level = models.CharField(
        _("level after the decision"), max_length=16, choices=ProblemLevel.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "problem"], name="meetingdecision_one_per_problem"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.problem} · {self.get_outcome_display()}"

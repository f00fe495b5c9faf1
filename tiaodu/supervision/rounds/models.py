"""Field rounds: the round, its groups and their members, the projects assigned to each
group, the visits with their photos and findings. Only `rounds.services` writes them."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.media.models import StoredFile
from tiaodu.core.models import TimeStampedModel
from tiaodu.core.scoping import ScopeFields
from tiaodu.problems.choices import ProblemCategory
from tiaodu.problems.models import Problem
from tiaodu.projects.models import Project
from tiaodu.supervision.rounds.choices import CRITERION_POINTS, RoundKind, RoundStatus


class FieldRound(TimeStampedModel):
    """A site visit, inspection, inspection tour or observation over a region's projects,
    between two dates, made by one or more groups."""

    kind = models.CharField(_("kind of round"), max_length=16, choices=RoundKind.choices)
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    organised_by = models.CharField(_("organised by"), max_length=100, blank=True)
    region = models.ForeignKey(
        OrgUnit,
        verbose_name=_("region covered"),
        on_delete=models.PROTECT,
        related_name="field_rounds",
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        pgettext_lazy("field round", "status"),
        max_length=16,
        choices=RoundStatus.choices,
        default=RoundStatus.PLANNED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Dispatchers and region leaders over the round's region; `selectors.rounds_visible_to`
    # adds those whose region the round covers and the members of its groups.
    scope_fields = ScopeFields(region_path="region__path")

    class Meta:
        verbose_name = _("field round")
        verbose_name_plural = _("field rounds")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="fieldround_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:round", args=[self.pk])


class RoundGroup(TimeStampedModel):
    """One group of a round (第一组…): a leader, members, and the projects it visits."""

    round = models.ForeignKey(
        FieldRound, verbose_name=_("field round"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("group name"), max_length=50)

    class Meta:
        verbose_name = _("round group")
        verbose_name_plural = _("round groups")
        ordering = ["round_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="roundgroup_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:group", args=[self.pk])


class GroupMember(TimeStampedModel):
    """A member of a group: a user of the platform, or a name and unit as written down
    (officials who never sign in); one member leads the group."""

    group = models.ForeignKey(
        RoundGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="round_memberships",
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    is_leader = models.BooleanField(_("group leader"), default=False)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["group_id", "-is_leader", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(user__isnull=False),
                name="groupmember_unique_user",
            ),
            models.UniqueConstraint(
                fields=["group"], condition=Q(is_leader=True), name="groupmember_one_leader"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name


class RoundAssignment(TimeStampedModel):
    """A project a group is to visit; a project is assigned to one group per round."""

    round = models.ForeignKey(
        FieldRound,
        verbose_name=_("field round"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    group = models.ForeignKey(
        RoundGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="assignments"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="round_assignments",
    )

    class Meta:
        verbose_name = _("project to visit")
        verbose_name_plural = _("projects to visit")
        ordering = ["group_id", "project__region__path", "project__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="assignment_unique_project")
        ]

    def __str__(self) -> str:
        return f"{self.group.name} · {self.project}"


class SiteVisit(TimeStampedModel):
    """A group's visit to an assigned project: who went, what they found, the score."""

    round = models.ForeignKey(
        FieldRound, verbose_name=_("field round"), on_delete=models.CASCADE, related_name="visits"
    )
    group = models.ForeignKey(
        RoundGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="visits"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="site_visits"
    )
    visited_on = models.DateField(_("visited on"))
    visitors = models.TextField(_("visitors"), blank=True)
    findings = models.TextField(_("what was found on site"), blank=True)
    score = models.DecimalField(_("score"), null=True, blank=True, max_digits=4, decimal_places=1)
    score_progress = models.DecimalField(
        _("construction progress"), null=True, blank=True, max_digits=4, decimal_places=1
    )
    score_investment = models.DecimalField(
        _("investment completed"), null=True, blank=True, max_digits=4, decimal_places=1
    )
    score_quality_safety = models.DecimalField(
        _("quality and safety"), null=True, blank=True, max_digits=4, decimal_places=1
    )
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Whoever sees the project sees its visits (the owner unit learns what to put right);
    # `selectors.visits_visible_to` adds the members of the visiting group.
    # Reached as its project is.
    scope_fields = Project.scope_fields.through("project")

    class Meta:
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="sitevisit_unique_project"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=Decimal(0), score__lte=Decimal(100)),
                name="sitevisit_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.visited_on.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:visit", args=[self.pk])

    @property
    def breakdown(self) -> list[tuple[str, Decimal | None, Decimal]]:
        """(criterion, points given, most points) for each criterion, when scored by parts."""
        return [
            (criterion, getattr(self, f"score_{criterion}"), most)
            for criterion, most in CRITERION_POINTS.items()
        ]

    @property
    def scored_by_criteria(self) -> bool:
        return any(points is not None for _criterion, points, _most in self.breakdown)


class VisitPhoto(StoredFile):
    """A photo of a visit, accepted by its content and re-encoded (`core.media`)."""

    upload_folder = "visits"

    visit = models.ForeignKey(
        SiteVisit, verbose_name=_("site visit"), on_delete=models.CASCADE, related_name="photos"
    )

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["created_at", "id"]


class Finding(TimeStampedModel):
    """Something a visit found that holds the project back; raised, it becomes a problem on
    the ledger (`services.raise_finding_problem`), linked here."""

    visit = models.ForeignKey(
        SiteVisit,
        verbose_name=_("site visit"),
        on_delete=models.CASCADE,
        related_name="finding_items",
    )
    category = models.CharField(
        _("problem category"), max_length=16, choices=ProblemCategory.choices
    )
    title = models.CharField(_("title"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    problem = models.OneToOneField(
        Problem,
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="field_finding",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["visit_id", "id"]

    def __str__(self) -> str:
        return self.title

"""The vocabularies of field rounds (DOMAIN.md §1: 进现场 / 督查 / 拉练 / 观摩)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundKind(models.TextChoices):
    SITE_VISIT = "site_visit", _("Site visit")
    INSPECTION = "inspection", _("Inspection")
    INSPECTION_TOUR = "inspection_tour", _("Inspection tour")
    OBSERVATION = "observation", _("Observation")


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    FINISHED = "finished", _("Finished")


class RoundAction(models.TextChoices):
    START = "start", _("Start the round")
    FINISH = "finish", _("Finish the round")
    REOPEN = "reopen", _("Reopen the round")


class ScoreCriterion(models.TextChoices):
    """The parts of a visit's score, when a group scores by criteria (观摩点评): how far the
    site has come, how much has been invested against the plan, and quality and safety."""

    PROGRESS = "progress", _("Construction progress")
    INVESTMENT = "investment", _("Investment completed")
    QUALITY_SAFETY = "quality_safety", _("Quality and safety")


# The most points each part gives; together 100. The stored field of each is
# `score_<criterion>` on the visit.
CRITERION_POINTS: dict[str, Decimal] = {
    ScoreCriterion.PROGRESS: Decimal(40),
    ScoreCriterion.INVESTMENT: Decimal(30),
    ScoreCriterion.QUALITY_SAFETY: Decimal(30),
}
MAX_SCORE = Decimal(100)

"""The vocabularies of the dispatch rounds (DOMAIN.md §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Cycle(models.TextChoices):
    """How often a list reports; `periods.FINENESS` orders them from finest to coarsest."""

    WEEKLY = "weekly", _("Weekly report")
    TEN_DAY = "ten_day", _("Ten-day report")
    HALF_MONTH = "half_month", _("Half-month report")
    MONTHLY = "monthly", _("Monthly report")
    QUARTERLY = "quarterly", _("Quarterly report")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    DISTRICT_APPROVED = "district_approved", _("Approved by the district")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ReportAction(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    APPROVE_DISTRICT = "approve_district", _("Approve (district)")
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return")
    AMEND = "amend", _("Amend")

"""The vocabularies of the project library (DOMAIN.md §1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnualPlanNature(models.TextChoices):
    NEW_START = "new_start", _("New start")
    CONTINUING = "continuing", _("Continuing")
    RESERVE = "reserve", _("Reserve")
    COMPLETING = "completing", _("Completing")


class AnnualPlanLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial key")
    MUNICIPAL = "municipal", _("Municipal key")
    COUNTY = "county", _("County key")


class ReserveStage(models.TextChoices):
    AGREEMENT_SIGNED = "agreement_signed", _("Investment agreement signed")
    PROPOSAL_FEASIBILITY = "proposal_feasibility", _("Proposal and feasibility study")
    APPROVAL_LAND_PLANNING = "approval_land_planning", _("Approval, land and planning permits")
    PRELIMINARY_DESIGN = "preliminary_design", _("Preliminary and construction design")
    PRE_CONSTRUCTION = "pre_construction", _("Pre-construction preparation")


class ProjectCategory(models.TextChoices):
    INDUSTRY = "industry", _("Industry")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    SOCIAL = "social", _("Social services")
    ECOLOGY = "ecology", _("Ecology and environment")
    OTHER = "other", _("Other")


class ProjectFundingType(models.TextChoices):
    GOVERNMENT = "government", _("Government investment")
    ENTERPRISE = "enterprise", _("Enterprise investment")


class ProcedureKind(models.TextChoices):
    PROJECT_APPROVAL = "project_approval", _("Project approval / filing")
    LAND_PRE_REVIEW = "land_pre_review", _("Land pre-review and site selection")
    LAND_PLANNING_PERMIT = "land_planning_permit", _("Land-use planning permit")
    WORKS_PLANNING_PERMIT = "works_planning_permit", _("Works planning permit")
    ENVIRONMENTAL_ASSESSMENT = "environmental_assessment", _("Environmental impact assessment")
    ENERGY_ASSESSMENT = "energy_assessment", _("Energy assessment")
    CONSTRUCTION_PERMIT = "construction_permit", _("Construction permit")
    PROPERTY_CERTIFICATE = "property_certificate", _("Real-estate title certificate")


class ProcedureStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    PENDING = "pending", _("Pending")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")

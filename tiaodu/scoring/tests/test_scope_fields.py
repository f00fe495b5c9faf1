"""Cards and appeals are reached as their project is (and a report, as the same rule)."""

from tiaodu.core.scoping import ScopeFields
from tiaodu.projects.models import Project
from tiaodu.reporting.models import Report
from tiaodu.scoring.models import Appeal, Card


def test_models_reached_through_their_project() -> None:
    assert (
        Card.scope_fields
        == Report.scope_fields
        == ScopeFields(
            region_path="project__region__path",
            owner_unit_path="project__owner_unit__path",
            responsible_unit_path="project__responsible_unit__path",
            leader_users=("project__municipal_leader__user", "project__sponsoring_leader__user"),
            service_officer_users=("project__service_officer__user",),
        )
    )
    assert Appeal.scope_fields.region_path == "card__project__region__path"
    assert Appeal.scope_fields == Project.scope_fields.through("card__project")

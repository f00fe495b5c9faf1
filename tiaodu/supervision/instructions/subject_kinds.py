"""The kinds of object this package lets leaders write on: the project, the problem and
the notice (registered in SupervisionConfig.ready, through `subjects.register_subject`)."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.scoping import Place, Someone, relations_to
from tiaodu.problems.models import Problem
from tiaodu.projects.models import Project
from tiaodu.supervision.instructions.subjects import SubjectKind, register_subject
from tiaodu.supervision.notices.models import Notice

PROJECT = "project"
PROBLEM = "problem"
NOTICE = "notice"


def leads_project(actor: Someone, project: Project) -> bool:
    """A leader over the project: of its region's subtree, or assigned to it (its municipal
    or sponsoring leader, for a leader whose grant is to assigned projects only)."""
    people = (project.municipal_leader, project.sponsoring_leader)
    place = Place(
        region_path=project.region.path,
        leader_ids=tuple(person.user_id for person in people if person and person.user_id),
    )
    return relations_to(actor, place).leader


def common_region(projects: Iterable[Project]) -> OrgUnit:
    """The deepest region holding every one of the projects (the city for two districts)."""
    paths = [project.region.path for project in projects]
    parts = [path.strip("/").split("/") for path in paths]
    shared: list[str] = []
    for column in zip(*parts, strict=False):
        if len(set(column)) != 1:
            break
        shared.append(column[0])
    return OrgUnit.objects.get(path="/" + "/".join(shared) + "/")


def _notice_projects(notice: Notice) -> list[Project]:
    related = ("region", "municipal_leader", "sponsoring_leader")
    return list(notice.projects.select_related(*related).order_by("pk"))


def register() -> None:
    project_related = ("region", "municipal_leader", "sponsoring_leader")
    register_subject(
        SubjectKind(
            key=PROJECT,
            label=_("Project"),
            model=Project,
            leads=leads_project,
            region=lambda project: project.region,
            default_unit=lambda project: project.responsible_unit or project.owner_unit,
            title=lambda project: project.name,
            url=lambda project: project.get_absolute_url(),
            select_related=(*project_related, "responsible_unit", "owner_unit"),
        )
    )
    register_subject(
        SubjectKind(
            key=PROBLEM,
            label=_("Problem"),
            model=Problem,
            leads=lambda actor, problem: leads_project(actor, problem.project),
            region=lambda problem: problem.project.region,
            default_unit=lambda problem: (
                problem.assigned_department
                or problem.project.responsible_unit
                or problem.project.owner_unit
            ),
            title=lambda problem: f"{problem.title}（{problem.project.name}）",
            url=lambda problem: reverse("problems:detail", args=[problem.pk]),
            select_related=(
                *(f"project__{name}" for name in project_related),
                "project__responsible_unit",
                "project__owner_unit",
                "assigned_department",
            ),
        )
    )
    register_subject(
        SubjectKind(
            key=NOTICE,
            label=_("Supervision notice"),
            model=Notice,
            leads=lambda actor, notice: any(
                leads_project(actor, project) for project in _notice_projects(notice)
            ),
            region=lambda notice: common_region(_notice_projects(notice)),
            default_unit=lambda notice: notice.recipient_unit,
            title=lambda notice: f"{notice.number_label} {notice.subject}",
            url=lambda notice: reverse("supervision:notice", args=[notice.pk]),
            select_related=("recipient_unit",),
        )
    )

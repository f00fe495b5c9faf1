"""The projects of the global search (`core.search`): by name, code or owner or responsible
unit, within the actor's scope (`selectors.projects_visible_to`), registered in
`ProjectsConfig.ready`. The "more" link opens the library filtered by the same words
(`filters.project_text_condition`, the library's own text filter)."""

from urllib.parse import urlencode

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaodu.core.saved_filters import FilterPage, register_page
from tiaodu.core.scoping import Someone
from tiaodu.core.search import Hit, Searcher, register_searcher
from tiaodu.projects import selectors
from tiaodu.projects.filters import project_text_condition
from tiaodu.projects.models import Project
from tiaodu.projects.permissions import reads_business_data

# The library's key among the pages whose filters users save (`core.saved_filters`).
LIBRARY = "projects.library"


def find_projects(actor: Someone, words: str) -> QuerySet[Project]:
    """The actor's projects matching the words: names beginning with them first, then by
    name."""
    if not reads_business_data(actor):
        return Project.objects.none()
    starts = Case(
        When(name__istartswith=words, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        selectors.projects_visible_to(actor)
        .filter(project_text_condition(words))
        .select_related("region", "owner_unit")
        .annotate(starts=starts)
        .order_by("starts", "name", "pk")
    )


def project_hit(project: Project) -> Hit:
    units = " · ".join(
        part for part in (project.region.name, getattr(project.owner_unit, "name", "")) if part
    )
    return Hit(
        title=project.name,
        url=project.get_absolute_url(),
        detail=units,
        badge=project.code or "",
    )


def library_url(actor: Someone, words: str) -> str:
    return f"{reverse('projects:list')}?{urlencode({'q': words})}"


def register() -> None:
    register_searcher(
        Searcher(
            key="projects",
            label=pgettext_lazy("global search", "Projects"),
            icon="building-skyscraper",
            allowed=reads_business_data,
            find=find_projects,
            hit=project_hit,
            list_url=library_url,
            order=10,
        )
    )
    register_page(FilterPage(key=LIBRARY, label=_("Project library"), url_name="projects:list"))

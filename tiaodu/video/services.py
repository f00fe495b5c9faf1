"""The only writers of site cameras. Each call checks that the actor may edit the project,
validates, writes atomically and audits; a refusal (PermissionDenied or ValidationError,
translated) changes nothing."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.core import audit
from tiaodu.core.scoping import Actor
from tiaodu.projects.models import Project
from tiaodu.video.models import HLS_SUFFIX, Camera
from tiaodu.video.permissions import manages_cameras

NAME_MAX = 100
URL_MAX = 500
DESCRIPTION_MAX = 200


def _require_manager(actor: Actor, project: Project) -> None:
    if not manages_cameras(actor, project):
        raise PermissionDenied(
            _("Only the dispatchers of the project's region manage its cameras.")
        )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def clean_stream_url(url: str) -> str:
    """The stream's address as stored: an absolute http(s) address, or a path on this site
    (a platform proxied under the site's own address). An HLS stream of another host plays
    only from the hosts the site's security policy allows (TIAODU_VIDEO_ORIGINS)."""
    url = (url or "").strip()
    if not url:
        raise ValidationError({"stream_url": _("Give the address of the camera's stream.")})
    if len(url) > URL_MAX:
        raise ValidationError(
            {"stream_url": _("Keep the address to %(count)s characters.") % {"count": URL_MAX}}
        )
    parts = urlsplit(url)
    on_site = url.startswith("/") and not url.startswith("//")
    if any(c.isspace() for c in url) or not (
        on_site or (parts.scheme in ("http", "https") and parts.netloc)
    ):
        raise ValidationError(
            {
                "stream_url": _(
                    "Give an address beginning with https:// (or a path on this site beginning "
                    "with /), such as https://video.example.gov.cn/live/gate.m3u8."
                )
            }
        )
    allowed = {origin.lower() for origin in settings.TIAODU_VIDEO_ORIGINS}
    if not on_site and parts.path.lower().endswith(HLS_SUFFIX) and _origin(url) not in allowed:
        raise ValidationError(
            {
                "stream_url": _(
                    "This site may not play streams from %(origin)s: the system administrator "
                    "adds it to TIAODU_VIDEO_ORIGINS, or the platform is served under this "
                    "site's address. A link to the platform's own page is accepted."
                )
                % {"origin": _origin(url)}
            }
        )
    return url


def _clean(
    *, project: Project, name: str, stream_url: str, description: str, pk: int | None
) -> tuple[str, str, str]:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the camera a name, such as 东大门.")})
    if len(name) > NAME_MAX:
        raise ValidationError(
            {"name": _("Keep the name to %(count)s characters.") % {"count": NAME_MAX}}
        )
    same = Camera.objects.filter(project=project, name=name)
    if pk is not None:
        same = same.exclude(pk=pk)
    if same.exists():
        raise ValidationError({"name": _("The project has a camera of this name already.")})
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(
            {
                "description": _("Keep the description to %(count)s characters.")
                % {"count": DESCRIPTION_MAX}
            }
        )
    return name, clean_stream_url(stream_url), description


@transaction.atomic
def add_camera(
    *, actor: Actor, project: Project, name: str, stream_url: str, description: str = ""
) -> Camera:
    """Add a camera to a project the actor may edit."""
    _require_manager(actor, project)
    name, stream_url, description = _clean(
        project=project, name=name, stream_url=stream_url, description=description, pk=None
    )
    camera = Camera.objects.create(
        project=project, name=name, stream_url=stream_url, description=description
    )
    audit.record_create(actor=actor, instance=camera, parent=project)
    return camera


@transaction.atomic
def update_camera(
    *, actor: Actor, camera: Camera, name: str, stream_url: str, description: str = ""
) -> Camera:
    """Change a camera's name, address or description."""
    camera = Camera.objects.select_for_update().select_related("project__region").get(pk=camera.pk)
    _require_manager(actor, camera.project)
    name, stream_url, description = _clean(
        project=camera.project,
        name=name,
        stream_url=stream_url,
        description=description,
        pk=camera.pk,
    )
    before = audit.snapshot(camera)
    camera.name, camera.stream_url, camera.description = name, stream_url, description
    camera.save()
    audit.record_update(actor=actor, instance=camera, before=before, parent=camera.project)
    return camera


@transaction.atomic
def remove_camera(*, actor: Actor, camera: Camera) -> None:
    """Take a camera off the project."""
    camera = Camera.objects.select_for_update().select_related("project__region").get(pk=camera.pk)
    _require_manager(actor, camera.project)
    audit.record_delete(actor=actor, instance=camera, parent=camera.project)
    camera.delete()

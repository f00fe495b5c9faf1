"""The site cameras of a project (工地视频): a name, where the stream is, where the camera
stands. Only `video.services` writes them; they are read through the project's scoping
(`video.selectors`)."""

from urllib.parse import urlsplit

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaodu.core.models import TimeStampedModel
from tiaodu.projects.models import Project

# A stream the page plays itself; any other address opens the vendor's platform in a tab.
HLS_SUFFIX = ".m3u8"


class Camera(TimeStampedModel):
    """One camera on a project's site: an HLS stream (.m3u8) the video wall plays, or the
    link to the camera in a vendor's platform, opened in a new tab."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="cameras"
    )
    name = models.CharField(_("camera name"), max_length=100)
    stream_url = models.CharField(_("stream address"), max_length=500)
    description = models.CharField(_("position and description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("site camera")
        verbose_name_plural = _("site cameras")
        ordering = ["project_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="camera_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"

    @property
    def is_hls(self) -> bool:
        """Whether the page plays the stream (an HLS playlist) rather than linking to it."""
        return urlsplit(self.stream_url).path.lower().endswith(HLS_SUFFIX)

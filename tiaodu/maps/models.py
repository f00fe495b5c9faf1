"""The site's district boundaries, from a file the site supplies (docs/map.md).

A government map needs an approval number (审图号), so the product ships no boundaries of
its own: a site loads its surveying bureau's file with `manage.py load_boundaries`. One set
is in force at a time; a new load replaces the old set and every boundary in it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.models import OrgUnit


class BoundarySet(models.Model):
    """One loaded boundary file: where it came from, its approval number, who loaded it."""

    source = models.CharField(_("source"), max_length=200)
    approval_number = models.CharField(_("approval number (审图号)"), max_length=100, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("boundary set")
        verbose_name_plural = _("boundary sets")
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return self.source


class Boundary(models.Model):
    """A region's outline: a GeoJSON Polygon or MultiPolygon in longitude and latitude."""

    boundary_set = models.ForeignKey(
        BoundarySet,
        verbose_name=_("boundary set"),
        on_delete=models.CASCADE,
        related_name="boundaries",
    )
    region = models.OneToOneField(
        OrgUnit, verbose_name=_("region"), on_delete=models.CASCADE, related_name="boundary"
    )
    # The feature's name as the file spells it (即墨市 for the region 即墨区, say).
    feature_name = models.CharField(_("name in the file"), max_length=100, blank=True)
    geometry = models.JSONField(_("geometry"))

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")
        ordering = ["region__path"]

    def __str__(self) -> str:
        return str(self.region)

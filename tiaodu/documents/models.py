"""A monthly bulletin (通报) of a region: its way from draft to archive, the dispatcher's
commentary, the number it is issued with, and the three files last built for it."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from tiaodu.core.models import TimeStampedModel
from tiaodu.core.scoping import ScopeFields
from tiaodu.documents.choices import AFTER_FILE, CONTENT_READ, BuildStatus, BulletinStatus
from tiaodu.documents.document import number_label


class Bulletin(TimeStampedModel):
    """One month's bulletin of one region. The content is never stored: it is built from
    the figure set as of the month's end; the files of the latest build are kept, and those
    of the issued version are the record."""

    scope_fields = ScopeFields(region_path="region__path")

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    region = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    commentary = models.JSONField(_("commentary"), default=dict, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    leader_note = models.TextField(
        _("leader's note"),
        blank=True,
        help_text=_("What the leader said when signing off or returning the bulletin."),
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    build_status = models.CharField(
        _("build"), max_length=16, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    build_progress = models.PositiveSmallIntegerField(_("build progress (%)"), default=0)
    build_error = models.TextField(_("build error"), blank=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    docx_file = models.FileField(_("Word document"), upload_to="bulletins/", blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to="bulletins/", blank=True)
    xlsx_file = models.FileField(_("workbook"), upload_to="bulletins/", blank=True)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-month", "region__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "region"], name="one_bulletin_per_month_and_region"
            ),
            models.UniqueConstraint(
                ExtractYear("month"),
                "number",
                condition=Q(number__isnull=False),
                name="one_bulletin_number_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region} {self.get_status_display()}"

    @property
    def number_label(self) -> str:
        return number_label(self.month.year, self.number)

    @property
    def is_issued(self) -> bool:
        return self.status in (BulletinStatus.ISSUED, BulletinStatus.ARCHIVED)

    @property
    def building(self) -> bool:
        return self.build_status in (BuildStatus.QUEUED, BuildStatus.RUNNING)

    @property
    def build_step(self) -> str:
        """What the build is doing, from its progress (see `services.build_files`)."""
        if self.build_status == BuildStatus.QUEUED:
            return str(_("Waiting for the background worker"))
        for below, label in (
            (CONTENT_READ, _("Reading the figures as of the month's end")),
            (AFTER_FILE["docx"], _("Writing the Word document")),
            (AFTER_FILE["pdf"], _("Writing the PDF")),
            (AFTER_FILE["xlsx"], _("Writing the workbook")),
        ):
            if self.build_progress < below:
                return str(label)
        return str(_("Saving the files"))

    def files(self) -> dict[str, Any]:
        return {"docx": self.docx_file, "pdf": self.pdf_file, "xlsx": self.xlsx_file}

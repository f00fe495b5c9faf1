"""The audit log as a person reads it, on the page and in the xlsx file (openpyxl write-only)."""

import contextlib
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tiaodu.core import xlsx
from tiaodu.core.models import AuditEvent

CHANNELS = {
    "web": gettext_lazy("Web"),
    "api": gettext_lazy("API"),
    "command": gettext_lazy("Command"),
    "system": gettext_lazy("System"),
}


@dataclass(frozen=True)
class Change:
    """One changed field of an event: its label and the values before and after."""

    field: str
    before: str
    after: str


def _model(label: str) -> type[models.Model] | None:
    if not label:
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def object_type_label(label: str) -> str:
    """The verbose name of the model an event is about ("" when there is none)."""
    model = _model(label)
    return str(model._meta.verbose_name) if model is not None else label


def channel_label(channel: str) -> str:
    return str(CHANNELS.get(channel, channel))


def changes_of(event: AuditEvent) -> list[Change]:
    """The event's before → after values, with the fields' verbose names where known."""
    model = _model(event.object_type)
    result = []
    for name, values in (event.changes or {}).items():
        label = name
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                label = str(getattr(model._meta.get_field(name), "verbose_name", name))
        # `audit.diff` writes [before, after]; anything else is shown as a new value.
        before, after = values if isinstance(values, list) and len(values) == 2 else ("", values)
        result.append(Change(label, str(before), str(after)))
    return result


def changes_text(changes: list[Change]) -> str:
    """One line per field: "field: before → after" (or just the new value for a new field)."""
    lines = []
    for change in changes:
        if change.before:
            lines.append(f"{change.field}: {change.before} → {change.after}")
        else:
            lines.append(f"{change.field}: {change.after}")
    return "\n".join(lines)


def audit_columns() -> list[tuple[str, int]]:
    """Headers and widths of the export, in order."""
    return [
        (_("Time"), 20),
        (_("Username"), 16),
        (_("Name"), 14),
        (_("Action"), 14),
        (_("Object type"), 16),
        (_("Object"), 32),
        (_("Object id"), 10),
        (_("Source address"), 18),
        (_("Channel"), 10),
        (_("Outcome"), 10),
        (_("Message"), 32),
        (_("Changes (before → after)"), 60),
    ]


def _row(sheet: WriteOnlyWorksheet, event: AuditEvent) -> list[Any]:
    at = WriteOnlyCell(sheet, value=timezone.localtime(event.at).replace(tzinfo=None))
    at.number_format = "yyyy-mm-dd hh:mm:ss"
    changes = xlsx.text_cell(sheet, changes_text(changes_of(event)))
    changes.alignment = Alignment(wrap_text=True, vertical="top")
    actor = event.actor
    return [
        at,
        xlsx.text_cell(sheet, event.actor_name),
        xlsx.text_cell(sheet, getattr(actor, "display_name", "") if actor is not None else ""),
        xlsx.text_cell(sheet, event.get_action_display()),
        xlsx.text_cell(sheet, object_type_label(event.object_type)),
        xlsx.text_cell(sheet, event.object_repr),
        xlsx.text_cell(sheet, event.object_id),
        xlsx.text_cell(sheet, event.source_address),
        xlsx.text_cell(sheet, channel_label(event.channel)),
        xlsx.text_cell(sheet, _("Succeeded") if event.success else _("Failed")),
        xlsx.text_cell(sheet, event.message),
        changes,
    ]


def write_audit_xlsx(events: Iterable[AuditEvent], *, title: str) -> bytes:
    """Write the (already filtered) events, newest first, under a title row and a header row."""
    workbook, sheet = xlsx.new_sheet(
        sheet_name=_("Audit log"), title=title, columns=audit_columns()
    )
    for event in events:
        sheet.append(_row(sheet, event))
    return xlsx.to_bytes(workbook)


def export_stamp(moment: dt.datetime | None = None) -> str:
    """The local time of an export, as it appears in its title and file name."""
    return timezone.localtime(moment).strftime("%Y%m%d-%H%M")

"""The audit log as a person reads it, on the page and in the xlsx file (openpyxl write-only)."""

import contextlib
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

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


def _text(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    # Typed text (a username, an object's name) must never become a formula in Excel.
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _row(sheet: WriteOnlyWorksheet, event: AuditEvent) -> list[Any]:
    at = WriteOnlyCell(sheet, value=timezone.localtime(event.at).replace(tzinfo=None))
    at.number_format = "yyyy-mm-dd hh:mm:ss"
    changes = _text(sheet, changes_text(changes_of(event)))
    changes.alignment = Alignment(wrap_text=True, vertical="top")
    actor = event.actor
    return [
        at,
        _text(sheet, event.actor_name),
        _text(sheet, getattr(actor, "display_name", "") if actor is not None else ""),
        _text(sheet, event.get_action_display()),
        _text(sheet, object_type_label(event.object_type)),
        _text(sheet, event.object_repr),
        _text(sheet, event.object_id),
        _text(sheet, event.source_address),
        _text(sheet, channel_label(event.channel)),
        _text(sheet, _("Succeeded") if event.success else _("Failed")),
        _text(sheet, event.message),
        changes,
    ]


def write_audit_xlsx(events: Iterable[AuditEvent], *, title: str) -> bytes:
    """Write the (already filtered) events, newest first, under a title row and a header row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Audit log")[:31])
    columns = audit_columns()
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    title_cell = WriteOnlyCell(sheet, value=title)
    title_cell.font = Font(bold=True, size=14)
    sheet.append([title_cell])
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    header = []
    for text, _width in columns:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header.append(cell)
    sheet.append(header)
    for event in events:
        sheet.append(_row(sheet, event))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_stamp(moment: dt.datetime | None = None) -> str:
    """The local time of an export, as it appears in its title and file name."""
    return timezone.localtime(moment).strftime("%Y%m%d-%H%M")

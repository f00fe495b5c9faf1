"""The rankings page (regions, responsible units and leaders on the month's cards, with
the evidence behind the figures) and the districts' assessment indicators with their
targets; each table also as xlsx (`?export=xlsx`)."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import audit, clock
from tiaodu.core.downloads import XLSX, download
from tiaodu.core.models import AuditAction
from tiaodu.scoring import indicators as assessment
from tiaodu.scoring import rankings as ranking
from tiaodu.scoring import targets
from tiaodu.scoring.choices import Colour
from tiaodu.scoring.models import DistrictTarget
from tiaodu.scoring.permissions import may_set_targets, oversees_cards
from tiaodu.scoring.ranking_exports import write_indicators, write_ranking
from tiaodu.scoring.selectors import computed_months
from tiaodu.scoring.services import parse_month


def _reader(request: SignedInRequest) -> None:
    if not oversees_cards(request.user):
        raise Http404


def _xlsx(request: SignedInRequest, content: bytes, title: str, fallback: str) -> HttpResponse:
    """The workbook, named by its title (the title says the month: no message is needed)."""
    audit.record(actor=request.user, action=AuditAction.EXPORT, object_label=title)
    return download(content, content_type=XLSX, name=f"{title}.xlsx", fallback=f"{fallback}.xlsx")


def _month(request: SignedInRequest, months: list[dt.date]) -> dt.date:
    """The month asked for, else the newest computed month (else last month); a month that
    is not YYYY-MM is said so on the page."""
    text = request.GET.get("month", "").strip()
    if text:
        try:
            return parse_month(text)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    if months:
        return months[0]
    return ranking.previous_month(clock.today())


@login_required
def rankings_page(request: SignedInRequest) -> HttpResponse:
    """The month's three rankings with movement and evidence share."""
    _reader(request)
    months = computed_months()
    month = _month(request, months)
    ranked = ranking.rankings(actor=request.user, month=month)
    titles = ranking.group_titles()
    if request.GET.get("export") == "xlsx":
        group = request.GET.get("table", "")
        if group not in ranking.GROUPS:
            raise Http404
        title = _("%(table)s ranked on the cards of %(month)s") % {
            "table": titles[group],
            "month": f"{month:%Y-%m}",
        }
        content = write_ranking(ranked.table(group), title=title, name_header=titles[group])
        return _xlsx(request, content, title, f"rankings-{group}-{month:%Y-%m}")
    context: dict[str, Any] = {
        "month": month,
        "months": months if month in months else sorted([month, *months], reverse=True),
        "tables": [(group, titles[group], ranked.table(group)) for group in ranking.GROUPS],
        "is_empty": ranked.is_empty,
        "colours": Colour.choices,
    }
    return render(request, "scoring/rankings.html", context)


def _period(request: SignedInRequest) -> tuple[int, int]:
    """The year and month (1–12) asked for, else this year up to this month."""
    today = clock.today()
    year, month = today.year, today.month
    year_text = request.GET.get("year", "").strip()
    month_text = request.GET.get("month", "").strip()
    if year_text:
        if year_text.isdecimal() and 2000 <= int(year_text) <= 2100:
            year = int(year_text)
            month = month if year == today.year else 12
        else:
            messages.error(request, _("Give the year as four digits, e.g. 2026."))
    if month_text:
        if month_text.isdecimal() and 1 <= int(month_text) <= 12:
            month = int(month_text)
        else:
            messages.error(request, _("Give the month as a number from 1 to 12."))
    return year, month


@login_required
def indicators_page(request: SignedInRequest) -> HttpResponse:
    """The districts' three indicators against their targets for the year up to the end of
    the month; the site's dispatcher sets the targets here."""
    _reader(request)
    if request.method == "POST":
        return _save_targets(request)
    year, month = _period(request)
    return _render_indicators(request, year, month)


def _render_indicators(
    request: SignedInRequest,
    year: int,
    month: int,
    entered: dict[str, str] | None = None,
    errors: dict[int, dict[str, list[str]]] | None = None,
) -> HttpResponse:
    assessed = assessment.indicators(actor=request.user, year=year, month=month)
    if request.GET.get("export") == "xlsx":
        title = _("Assessment indicators %(start)s – %(end)s") % {
            "start": assessed.start.isoformat(),
            "end": assessed.end.isoformat(),
        }
        return _xlsx(
            request,
            write_indicators(assessed, title=title),
            title,
            f"indicators-{year}-{month:02d}",
        )
    form_rows = []
    if may_set_targets(request.user):
        # In the districts' own order (by division code), whatever their rank.
        by_region = {row.region.pk: row for row in assessed.rows}
        for district in assessment.districts():
            row = by_region.get(district.pk)
            if row is None:
                continue
            wrong = (errors or {}).get(district.pk, {})
            form_rows.append(
                {
                    "region": district,
                    "errors": [message for messages in wrong.values() for message in messages],
                    "fields": [
                        (
                            f"target-{district.pk}-{key}",
                            label,
                            (entered or {}).get(
                                f"target-{district.pk}-{key}",
                                "" if target is None else str(target),
                            ),
                            key in wrong,
                        )
                        for key, label, _actual, target, _attained in row.cells()
                    ],
                }
            )
    context = {
        "assessed": assessed,
        "year": year,
        "month": month,
        "years": sorted(
            {*range(clock.today().year - 4, clock.today().year + 2), year}, reverse=True
        ),
        "month_numbers": range(1, 13),
        "labels": [str(label) for label in assessment.INDICATORS.values()],
        "form_rows": form_rows,
        "has_errors": bool(errors),
    }
    return render(request, "scoring/indicators.html", context)


def _save_targets(request: SignedInRequest) -> HttpResponse:
    """Every district's three targets of the year from one form: all written, or (on any
    bad figure) none, with each district's message beside it."""
    if not may_set_targets(request.user):
        raise Http404
    year_text = request.POST.get("year", "")
    month_text = request.POST.get("month", "12")
    if not (year_text.isdecimal() and 2000 <= int(year_text) <= 2100):
        messages.error(request, _("Give the year as four digits, e.g. 2026."))
        return redirect("scoring:indicators")
    year = int(year_text)
    month = int(month_text) if month_text.isdecimal() and 1 <= int(month_text) <= 12 else 12
    entered = {
        key: str(request.POST.get(key, "")) for key in request.POST if key.startswith("target-")
    }
    errors: dict[int, dict[str, list[str]]] = {}
    before = {
        target.region_id: _figures(target) for target in DistrictTarget.objects.filter(year=year)
    }
    changed = 0
    try:
        with transaction.atomic():
            for district in assessment.districts():
                values = {
                    key: request.POST.get(f"target-{district.pk}-{key}", "").strip()
                    for key in assessment.INDICATORS
                }
                if not any(values.values()):
                    continue
                try:
                    saved = _set(request, district, year, values)
                except ValidationError as error:
                    errors[district.pk] = (
                        error.message_dict
                        if hasattr(error, "error_dict")
                        else {"__all__": error.messages}
                    )
                else:
                    changed += _figures(saved) != before.get(district.pk)
            if errors:
                raise ValidationError("")
    except ValidationError:
        messages.error(request, _("Nothing was saved: correct the targets marked below."))
        return _render_indicators(request, year, month, entered, errors)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("scoring:indicators")
    messages.success(
        request,
        _("The targets of %(year)d are saved for %(count)d districts.")
        % {"year": year, "count": changed}
        if changed
        else _("Nothing changed."),
    )
    return redirect(f"{reverse('scoring:indicators')}?year={year}&month={month}")


def _figures(target: DistrictTarget) -> tuple[int, int, int]:
    return (target.new_starts, target.inclusions, target.completions)


def _set(
    request: SignedInRequest, district: OrgUnit, year: int, values: dict[str, str]
) -> DistrictTarget:
    return targets.set_district_target(
        request.user,
        district,
        year,
        new_starts=values["new_starts"],
        inclusions=values["inclusions"],
        completions=values["completions"],
    )

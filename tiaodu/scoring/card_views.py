"""The card pages: the board of a month, the card list behind each count, their Excel
files, computing a month (the site's dispatcher) and the rules page with its preview.

Thin: the cards read are those of `selectors.cards_visible_to` (a filter naming something
out of the reader's scope finds nothing), writes go through the services, and a refusal
comes back as a message or onto the form and changes nothing.
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import audit, clock, idempotency
from tiaodu.core.downloads import download
from tiaodu.core.models import AuditAction
from tiaodu.core.refusals import errors_onto, refusal
from tiaodu.scoring import board, exports, selectors, services
from tiaodu.scoring.choices import Colour
from tiaodu.scoring.forms import ComputeForm, RuleSetForm
from tiaodu.scoring.models import RuleSet
from tiaodu.scoring.permissions import (
    may_change_rules,
    may_compute_cards,
    oversees_cards,
    reads_cards,
)
from tiaodu.scoring.preview import preview

PAGE_SIZE = 25


def _overseer(request: SignedInRequest) -> None:
    if not oversees_cards(request.user):
        raise Http404


def _month(request: SignedInRequest, months: list[dt.date]) -> dt.date | None:
    """The month asked for (`?month=YYYY-MM`), else the latest computed one; a month that
    cannot be read is said so and the latest is shown."""
    text = request.GET.get("month", "").strip()
    if text:
        try:
            return services.parse_month(text)
        except ValidationError as error:
            messages.error(request, refusal(error))
    return months[0] if months else None


def _xlsx(content: bytes, name: str, fallback: str) -> HttpResponse:
    return download(
        content, content_type=exports.XLSX, name=f"{name}.xlsx", fallback=f"{fallback}.xlsx"
    )


def _tables(cards: Any, month: dt.date) -> list[tuple[str, str, str, list[board.Row]]]:
    return [
        ("region", _("By region"), _("Region"), board.breakdown(cards, month, "region")),
        ("list", _("By key-project list"), _("Key-project list"), board.breakdown(cards, month, "list")),
        ("unit", _("By responsible unit"), _("Responsible unit"), board.breakdown(cards, month, "unit")),
    ]  # fmt: skip


@login_required
def card_board(request: SignedInRequest) -> HttpResponse:
    """项目评价: a month's cards counted per colour with the change from the month before,
    and by region, key-project list and responsible unit; `?export=xlsx` as a workbook."""
    _overseer(request)
    months = selectors.computed_months()
    month = _month(request, months)
    cards = selectors.cards_visible_to(request.user)
    tallies = board.tallies(cards, month) if month else []
    tables = _tables(cards, month) if month else []
    if month and request.GET.get("export") == "xlsx":
        content = exports.write_board(
            month, tallies, [(title, first, rows) for _key, title, first, rows in tables]
        )
        audit.record(
            actor=request.user,
            action=AuditAction.EXPORT,
            object_label=_("Card board"),
            message=f"{month:%Y-%m}",
        )
        name = _("Card board %(month)s") % {"month": f"{month:%Y-%m}"}
        return _xlsx(content, name, f"cards-{month:%Y-%m}")
    can_compute = may_compute_cards(request.user)
    context: dict[str, Any] = {
        "month": month,
        "months": months,
        "computed": month in months,
        "tallies": tallies,
        "tables": tables,
        "can_compute": can_compute,
        "can_change_rules": may_change_rules(request.user),
    }
    if can_compute:
        context["form"] = ComputeForm(initial={"month": _last_month()})
        context["runs"] = list(selectors.runs_of(month)) if month else []
    return render(request, "scoring/board.html", context)


def _filter_labels() -> dict[str, str]:
    return {
        "colour": _("Colour"),
        "region": _("Region"),
        "list": _("Key-project list"),
        "unit": _("Responsible unit"),
    }


def _card_list_message(month: dt.date, filters: board.ListFilters) -> str:
    """The exported list in words: its month, colour and what it is narrowed to."""
    words = [f"{month:%Y-%m}"]
    if filters.colour:
        words.append(str(Colour(filters.colour).label))
    if narrowed := board.filter_label(filters):
        words.append(narrowed)
    return "；".join(words)[:255]


def _last_month() -> dt.date:
    return board.previous_month(clock.today())


@login_required
def card_list(request: SignedInRequest) -> HttpResponse:
    """The cards behind a count of the board: one line per card, red first, then by score
    ascending, 25 a page; `?export=xlsx` as a sheet of every card the filters keep."""
    _overseer(request)
    months = selectors.computed_months()
    month = _month(request, months)
    filters = board.parse_filters(request.GET)
    if filters.errors:
        messages.error(
            request,
            _("These filters could not be read and are ignored: %(names)s.")
            % {"names": "、".join(str(_filter_labels()[name]) for name in filters.errors)},
        )
    cards = selectors.cards_visible_to(request.user)
    chosen = board.card_list(cards, month, filters) if month else cards.none()
    if month and request.GET.get("export") == "xlsx":
        title = _("Cards of %(month)s") % {"month": f"{month:%Y-%m}"}
        content = exports.write_card_list(month, chosen.iterator(chunk_size=500), title=title)
        audit.record(
            actor=request.user,
            action=AuditAction.EXPORT,
            object_label=_("Card list"),
            message=_card_list_message(month, filters),
        )
        return _xlsx(content, title, f"card-list-{month:%Y-%m}")
    page = Paginator(chosen, PAGE_SIZE).get_page(request.GET.get("page"))
    for card in page.object_list:
        card.worst = board.worst_dimension(card)  # type: ignore[attr-defined]
    query = request.GET.copy()
    for name in ("page", "export", "month"):
        query.pop(name, None)
    keep = [(name, value) for name, value in query.items() if name in board.FILTERS]
    if month:
        query["month"] = f"{month:%Y-%m}"
    without_colour = query.copy()
    without_colour.pop("colour", None)
    return render(
        request,
        "scoring/card_list.html",
        {
            "month": month,
            "months": months,
            "filters": filters,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "query": query.urlencode(),
            "colours": board.COLOURS,
            "keep": keep,
            "without_colour": without_colour.urlencode(),
            "chosen_label": board.filter_label(filters),
        },
    )


@login_required
@require_POST
def compute(request: SignedInRequest) -> HttpResponse:
    """The site's dispatcher computes (or recomputes) a month's cards with a reason."""
    if not may_compute_cards(request.user):
        raise Http404
    form = ComputeForm(request.POST)
    board_url = reverse("scoring:cards")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(board_url)
    month = form.cleaned_data["month"]
    try:
        outcome = services.compute_cards(
            actor=request.user, month=month, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
        return redirect(board_url)
    messages.success(
        request,
        _(
            "The cards of %(month)s are computed: %(cards)d cards, %(added)d added, "
            "%(changed)d changed, %(removed)d removed."
        )
        % {
            "month": f"{month:%Y-%m}",
            "cards": outcome.cards,
            "added": outcome.added,
            "changed": outcome.changed,
            "removed": outcome.removed,
        },
    )
    return redirect(f"{board_url}?month={month:%Y-%m}")


@login_required
def rules_page(request: SignedInRequest) -> HttpResponse:
    """评价规则: every version of the card rules; the site's dispatcher proposes a new one,
    previews how the latest computed month's cards would change, and saves it."""
    if not reads_cards(request.user):
        raise Http404
    can_change = may_change_rules(request.user)
    if request.method == "POST" and not can_change:
        raise Http404
    versions = list(RuleSet.objects.select_related("created_by").order_by("-version"))
    context: dict[str, Any] = {"versions": versions, "can_change": can_change}
    if not can_change:
        return render(request, "scoring/rules.html", context)
    latest = versions[0] if versions else RuleSet()
    months = selectors.computed_months()
    # The first month a new version may take effect: this one, or the one after the last
    # computed month if that is later (services.check_effective_from).
    first = clock.today().replace(day=1)
    if months and months[0] >= first:
        first = (months[0] + dt.timedelta(days=31)).replace(day=1)
    initial = {"effective_month": first, "note": ""}
    form = RuleSetForm(request.POST or None, instance=None, initial={
        **{name: getattr(latest, name) for name in services.RULE_FIELDS}, **initial,
    })  # fmt: skip
    if request.method == "POST" and "preview" in request.POST and form.is_valid():
        assert form.rule_set is not None
        if months:
            context["preview"] = preview(months[0], form.rule_set)
        else:
            messages.info(request, _("No month has cards yet: there is nothing to preview."))
    elif request.method == "POST":

        def create() -> str | None:
            # Checked inside the key's claim: a repeat is sent on before the form is looked
            # at again (the month would be taken by the version the first post made).
            if not form.is_valid():
                return None
            try:
                created = services.create_rule_set(
                    actor=request.user,
                    effective_from=form.cleaned_data["effective_month"],
                    note=form.cleaned_data["note"],
                    **form.values(),
                )
            except (ValidationError, PermissionDenied) as error:
                errors_onto(form, error)
                return None
            messages.success(
                request,
                _("Version %(version)d of the rules applies from %(month)s.")
                % {"version": created.version, "month": f"{created.effective_from:%Y-%m}"},
            )
            return reverse("scoring:rules")

        location = idempotency.form_once(request, "scoring.rule_set", create)
        if location is not None:
            return redirect(location)
    context.update(form=form, preview_month=months[0] if months else None)
    return render(request, "scoring/rules.html", context)

"""The ledger pages: the dispatcher's ledger and its xlsx export, the handler's inbox, the
per-department table and the blockers ranking (these three read through `listings`, which
their exports share). Thin: every read through the selectors (and `stats`), a problem
outside the reader's scope is not there.

The problem page, its steps and comments are in `detail_views`; raising in `raise_views`.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import audit, clock
from tiaodu.core.downloads import XLSX, download
from tiaodu.core.exports import export_stamp
from tiaodu.core.listing import page_context
from tiaodu.core.models import AuditAction
from tiaodu.core.saved_filters import applies_default
from tiaodu.core.summaries import export_message, filter_summary
from tiaodu.problems import listings, selectors
from tiaodu.problems.exports import write_problem_ledger
from tiaodu.problems.forms import LedgerFilterForm
from tiaodu.problems.permissions import reads_ledger
from tiaodu.problems.search import LEDGER

PAGE_SIZE = 25


def _ledger_reader(request: HttpRequest) -> None:
    if not reads_ledger(request.user):
        raise Http404


def _date_query(filters: dict[str, Any]) -> str:
    """The as-of date and plan year the count cards keep (with a trailing &), or nothing."""
    kept = {"as_of": filters["as_of"], "year": filters["plan_year"]}
    return "".join(f"{name}={value}&" for name, value in kept.items() if value)


@login_required
@applies_default(LEDGER)
def ledger(request: SignedInRequest) -> HttpResponse:
    """问题台账: the problems in the reader's scope, filtered, newest first, 25 a page."""
    _ledger_reader(request)
    today = clock.today()
    form = LedgerFilterForm(request.GET or None, actor=request.user)
    filters = form.ledger_filters()
    problems = selectors.problem_ledger(request.user, today=today, **filters)
    page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.mark_deadlines(list(page.object_list), today)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "query": query.urlencode(),
        "counts": selectors.ledger_counts(
            request.user, today, as_of=filters["as_of"], plan_year=filters["plan_year"]
        ),
        "as_of": filters["as_of"],
        "date_query": _date_query(filters),
        "today": today,
        "section": "ledger",
    }
    template = "problems/ledger.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


@login_required
def ledger_export(request: SignedInRequest) -> HttpResponse:
    """The filtered ledger as xlsx in the ledger layout; the export is audited."""
    _ledger_reader(request)
    form = LedgerFilterForm(request.GET or None, actor=request.user)
    problems = selectors.problem_ledger(request.user, **form.ledger_filters()).select_related(
        "project__region"
    )
    count = problems.count()
    limit = settings.TIAODU_EXPORT_MAX_ROWS
    if count > limit:
        messages.error(
            request,
            _(
                "%(count)d problems match; at most %(limit)d can be exported at once. "
                "Narrow the filters and export again."
            )
            % {"count": count, "limit": limit},
        )
        return redirect(f"{reverse('problems:ledger')}?{request.GET.urlencode()}")
    stamp = export_stamp()
    chosen = "；".join(f"{label}：{value}" for label, value in form.summary())
    title = _("Problem ledger (exported %(stamp)s)") % {"stamp": stamp}
    if chosen:
        title = f"{title} {chosen}"
    content = write_problem_ledger(problems.iterator(chunk_size=500), title=title)
    audit.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_label=_("Problem ledger"),
        message=export_message(count, filter_summary(form)),
    )
    today = clock.today().isoformat()
    return download(
        content,
        content_type=XLSX,
        name=_("Problem ledger-as of %(date)s") % {"date": today} + ".xlsx",
        fallback=f"problems-{today}.xlsx",
    )


@login_required
def inbox(request: SignedInRequest) -> HttpResponse:
    """待办问题: what waits for the handler's departments, overdue first, then by deadline;
    and what they resolved that waits for confirmation."""
    found = listings.inbox_source(request)
    listing = listings.INBOX
    context = {
        **page_context(request, listing, found),
        **found.data,
        "problems": found.rows,
        "shown_rows": listing.table("inbox").present(found.rows),
        "awaiting_rows": listing.table("awaiting").present(found.data["awaiting"]),
        "inbox_table": listing.table("inbox"),
    }
    return render(request, "problems/inbox.html", context)


@login_required
def departments(request: SignedInRequest) -> HttpResponse:
    """部门办理情况: per department, received, resolved, on time, working days, overdue."""
    found = listings.departments_source(request)
    table = listings.DEPARTMENTS.table()
    context = {
        **page_context(request, listings.DEPARTMENTS, found),
        **found.data,
        "rows": found.rows,
        "shown_rows": table.present(found.rows),
        "footer_rows": table.present(table.footer_of(found)),
        "section": "departments",
    }
    return render(request, "problems/departments.html", context)


@login_required
def blockers(request: SignedInRequest) -> HttpResponse:
    """堵点排行: open problems by project investment × days blocked, the first 50."""
    found = listings.blockers_source(request)
    context = {
        **page_context(request, listings.BLOCKERS, found),
        **found.data,
        "blockers": found.rows,
        "shown_rows": listings.BLOCKERS.table().present(found.rows),
        "section": "blockers",
    }
    return render(request, "problems/blockers.html", context)

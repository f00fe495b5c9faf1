"""Pages of the project library. Thin: parse, call a selector or a service, render."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import audit, clock, idempotency
from tiaodu.core.bounds import paged_table
from tiaodu.core.db_router import replica_reads
from tiaodu.core.downloads import XLSX, download
from tiaodu.core.models import AuditAction
from tiaodu.core.page_sections import sections_for
from tiaodu.core.refusals import errors_onto
from tiaodu.core.saved_filters import applies_default
from tiaodu.projects import export_jobs, selectors, services
from tiaodu.projects.choices import ProcedureKind, ProcedureStatus
from tiaodu.projects.detail_tabs import registered_tabs
from tiaodu.projects.exports import (
    export_as_of,
    export_name,
    export_plans,
    library_filterset,
    write_library_xlsx,
)
from tiaodu.projects.filters import AnnualPlanFilterSet
from tiaodu.projects.forms import AnnualPlanForm, ProcedureFormSet, ProjectForm
from tiaodu.projects.permissions import can_create_project, can_edit_project, reads_business_data
from tiaodu.projects.search import LIBRARY
from tiaodu.projects.tables import AnnualPlanTable
from tiaodu.projects.totals import kept_totals, with_progress

# The project page's name for the sections higher apps add to it (`core.page_sections`).
PAGE = "projects.project"


def _year_param(value: str | None, default: int) -> int:
    """A year from the query or the form; the default when it is missing or not a year."""
    try:
        year = int(value or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _filtered_plans(request: SignedInRequest) -> tuple[AnnualPlanFilterSet, int]:
    actor = request.user
    if not reads_business_data(actor):
        raise Http404
    year = _year_param(request.GET.get("year"), selectors.default_year(actor))
    return library_filterset(actor, request.GET, year), year


@login_required
@applies_default(LIBRARY)
def project_list(request: SignedInRequest) -> HttpResponse:
    """The library: plan entries of a year in the user's scope, filtered, sorted, paged."""
    filterset, year = _filtered_plans(request)
    # Year-to-date figures as of the figure filter's date (today without one), and the
    # time progress of that day beside each rate.
    plans = filterset.qs
    as_of = min(filterset.as_of_date(), dt.date(year, 12, 31))
    sums = kept_totals(request.user, plans, as_of, page=(request.GET.urlencode(), year))
    table = AnnualPlanTable(with_progress(plans, as_of), as_of=as_of, sums=sums)
    paged_table(request, table)
    context: dict[str, Any] = {
        "filter": filterset,
        "table": table,
        "year": year,
        "as_of": as_of,
        "years": selectors.plan_years(request.user) or [year],
        "can_create": can_create_project(request.user),
        "query": request.GET.urlencode(),
    }
    template = "projects/project_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


@login_required
@replica_reads
def project_export(request: SignedInRequest) -> HttpResponse:
    """The filtered list as the standard ledger (xlsx): the same filters and scope as the
    page; its year-to-date figures as of the page's date, which its name and its headers
    state (台账-2026-截至2026-12-06), so that importing it again takes that date.

    From TIAODU_EXPORT_BACKGROUND_ROWS rows on, a background task writes it and the
    export's page shows the progress, then the download (export_jobs)."""
    filterset, year = _filtered_plans(request)
    plans = export_plans(filterset)
    rows = plans.count()
    if rows >= settings.TIAODU_EXPORT_BACKGROUND_ROWS:
        item = export_jobs.request_export(
            actor=request.user, filterset=filterset, query=request.GET, year=year, rows=rows
        )
        return redirect("projects:export_detail", pk=item.pk)
    as_of = export_as_of(filterset, year)
    content = write_library_xlsx(plans, as_of=as_of)
    audit.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_label=_("Project library"),
        message=export_jobs.audit_summary(filterset),
    )
    name, fallback = export_name(year, as_of)
    return download(content, content_type=XLSX, name=name, fallback=fallback)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one project: fields, plans by year, procedures, people, history, and
    the tabs that higher apps register (`detail_tabs`)."""
    project = selectors.project_for(request.user, pk)
    history = Paginator(selectors.project_history(project), 50).get_page(request.GET.get("page"))
    tab = request.GET.get("tab", "overview")
    added = registered_tabs()
    context: dict[str, Any] = {
        "project": project,
        "plans": selectors.project_plans(project),
        "procedures": selectors.project_procedures(project),
        "history": history,
        "can_edit": can_edit_project(request.user, project),
        "tab": tab,
        "tabs": [
            ("overview", _("Overview")),
            ("plans", _("Annual plans")),
            *((added_tab.key, added_tab.label) for added_tab in added),
            ("procedures", _("Procedures")),
            ("people", _("People")),
            ("history", _("History")),
        ],
    }
    if tab == "overview":
        # What higher apps add to the overview (the project's point on the map).
        context["sections"] = sections_for(PAGE, request.user, project)
    shown = next((added_tab for added_tab in added if added_tab.key == tab), None)
    if shown is not None:
        context.update(shown.context(request.user, project), tab_template=shown.template)
    return render(request, "projects/project_detail.html", context)


@login_required
def project_create(request: SignedInRequest) -> HttpResponse:
    """A new project with its first plan entry."""
    if not can_create_project(request.user):
        raise Http404
    year = clock.today().year
    form = ProjectForm(request.POST or None, actor=request.user)
    plan_form = AnnualPlanForm(
        request.POST or None, prefix="plan", year=year, initial={"year": year}
    )
    if request.method == "POST":

        def create() -> str | None:
            # Checked inside the key's claim: a repeat is sent on before the form would
            # refuse the code the first post took.
            if not (form.is_valid() and plan_form.is_valid()):
                return None
            plan = {k: v for k, v in plan_form.cleaned_data.items() if k not in {"lists"}}
            try:
                project = services.create_project(
                    actor=request.user,
                    plan=plan,
                    lists=list(plan_form.cleaned_data["lists"]),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                errors_onto(form, error)
                return None
            messages.success(request, _("Project “%(name)s” was created.") % {"name": project.name})
            return reverse("projects:detail", args=[project.pk])

        location = idempotency.form_once(request, "projects.project", create)
        if location is not None:
            return redirect(location)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "plan_form": plan_form, "creating": True},
    )


@login_required
def project_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """Change a project's fields."""
    project = selectors.project_for(request.user, pk)
    if not can_edit_project(request.user, project):
        raise Http404
    form = ProjectForm(request.POST or None, instance=project, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@login_required
def plan_edit(request: SignedInRequest, pk: int, year: int | None = None) -> HttpResponse:
    """Add or change the project's plan entry for a year."""
    project = selectors.project_for(request.user, pk)
    if not can_edit_project(request.user, project):
        raise Http404
    instance = selectors.project_plan(project, year) if year else None
    if year and instance is None:
        raise Http404
    chosen_year = year or _year_param(
        request.POST.get("plan-year") or request.GET.get("year"), clock.today().year
    )
    form = AnnualPlanForm(
        request.POST or None,
        instance=instance,
        prefix="plan",
        year=chosen_year,
        initial={"year": chosen_year},
    )
    if request.method == "POST":

        def save() -> str | None:
            if not form.is_valid():
                return None
            data = {k: v for k, v in form.cleaned_data.items() if k not in {"lists", "year"}}
            try:
                services.save_annual_plan(
                    actor=request.user,
                    project=project,
                    year=instance.year if instance else form.cleaned_data["year"],
                    lists=list(form.cleaned_data["lists"]),
                    new_entry=instance is None,
                    **data,
                )
            except ValidationError as error:
                errors_onto(form, error)
                return None
            except PermissionDenied as error:
                raise Http404 from error
            messages.success(request, _("The annual plan entry was saved."))
            return f"{project.get_absolute_url()}?tab=plans"

        # A new entry is made once per the form's key; a change is simply saved.
        location = save() if instance else idempotency.form_once(request, "projects.plan", save)
        if location is not None:
            return redirect(location)
    return render(
        request, "projects/plan_form.html", {"form": form, "project": project, "plan": instance}
    )


@login_required
def procedures_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """The procedures checklist, all rows at once."""
    project = selectors.project_for(request.user, pk)
    if not can_edit_project(request.user, project):
        raise Http404
    existing = {p.kind: p for p in selectors.project_procedures(project)}
    initial = [
        {
            "kind": kind,
            "status": existing[kind].status if kind in existing else ProcedureStatus.PENDING,
            "completed_on": existing[kind].completed_on if kind in existing else None,
            "document_number": existing[kind].document_number if kind in existing else "",
        }
        for kind in ProcedureKind.values
    ]
    formset = ProcedureFormSet(request.POST or None, initial=initial)
    labels = dict(ProcedureKind.choices)
    if request.method == "POST" and formset.is_valid():
        try:
            services.set_procedures(actor=request.user, project=project, rows=formset.cleaned_data)
        except ValidationError as error:
            formset.forms[0].add_error(None, error.messages)
            messages.error(
                request, _("Nothing was saved: %(error)s") % {"error": " ".join(error.messages)}
            )
        else:
            messages.success(request, _("The procedures were saved."))
            return redirect(f"{project.get_absolute_url()}?tab=procedures")
    rows = [(labels[form.initial["kind"]], form) for form in formset.forms]
    return render(
        request,
        "projects/procedures_form.html",
        {"formset": formset, "rows": rows, "project": project},
    )

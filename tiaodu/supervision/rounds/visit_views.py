"""The visit pages: the visit form (made for a phone on site: what was found, the score, the
photos, the problems found), the visit with its photos and findings, and the one-step
转为问题 that puts a finding on the problem ledger.

Thin: reads through `rounds.selectors` (404 outside scope), writes through
`rounds.visit_services`; a refusal changes nothing and says what to correct.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock
from tiaodu.core.media.errors import UploadRefused
from tiaodu.core.media.serving import serve_inline
from tiaodu.core.refusals import errors_onto, refusal
from tiaodu.core.scoping import Actor
from tiaodu.supervision.rounds import selectors, visit_services, workflow
from tiaodu.supervision.rounds.forms import FindingForm, NewFindingFormSet, VisitForm
from tiaodu.supervision.rounds.models import RoundAssignment, SiteVisit, VisitPhoto
from tiaodu.supervision.rounds.pages import problem_url
from tiaodu.supervision.rounds.permissions import may_raise_finding, may_record_visit

VISIT_FIELDS = ("visited_on", "visitors", "findings", "comment")


def _may_record(actor: Actor, visit_or_assignment: SiteVisit | RoundAssignment) -> bool:
    return visit_or_assignment.round.status in workflow.RECORDING and may_record_visit(
        actor, visit_or_assignment.group, visit_or_assignment.project
    )


def _save(
    request: SignedInRequest,
    form: VisitForm,
    new_findings: Any,
    *,
    assignment: RoundAssignment | None = None,
    visit: SiteVisit | None = None,
) -> SiteVisit | None:
    """Record or change the visit with its score, new findings and photos: all or nothing.
    None when something must be corrected (the errors are on the form)."""
    if not (form.is_valid() and new_findings.is_valid()):
        return None
    data = form.cleaned_data
    fields = {name: data[name] for name in VISIT_FIELDS}
    actor = request.user
    uploads = [(photo, photo.name or "") for photo in data["photos"]]
    try:
        visit = visit_services.save_visit(
            actor=actor,
            fields=fields,
            score=data["score"],
            parts=form.parts(),
            findings=new_findings.cleaned_data,
            uploads=uploads,
            assignment=assignment,
            visit=visit,
        )
    except PermissionDenied as error:
        form.add_error(None, refusal(error))
        return None
    except ValidationError as error:
        errors_onto(form, error)
        return None
    except UploadRefused as error:
        form.add_error("photos", error.message)
        return None
    return visit


def _form_page(
    request: SignedInRequest,
    form: VisitForm,
    new_findings: Any,
    assignment: RoundAssignment | SiteVisit,
    visit: SiteVisit | None,
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "new_findings": new_findings,
        "round": assignment.round,
        "group": assignment.group,
        "project": assignment.project,
        "visit": visit,
        "existing_findings": list(selectors.findings_of(visit)) if visit else [],
        "photo_count": visit.photos.count() if visit else 0,
        "max_photos": visit_services.MAX_PHOTOS_PER_VISIT,
    }
    return render(request, "supervision/rounds/visit_form.html", context, status=status)


def _default_day(assignment: RoundAssignment) -> Any:
    today = clock.today()
    return min(max(today, assignment.round.start_date), assignment.round.end_date)


@login_required
def visit_new(request: SignedInRequest, pk: int) -> HttpResponse:
    """Record the visit of an assigned project (its visit, if there is one, is changed)."""
    assignment = selectors.assignment_for(request.user, pk)
    existing = (
        selectors.visits_visible_to(request.user)
        .filter(round_id=assignment.round_id, project_id=assignment.project_id)
        .first()
    )
    if existing is not None:
        return redirect("supervision:visit_edit", pk=existing.pk)
    if not _may_record(request.user, assignment):
        if assignment.round.status not in workflow.RECORDING:
            messages.error(request, _("Visits are recorded once the round has started."))
            return redirect(assignment.round)
        raise Http404
    members = [str(member) for member in assignment.group.members.all()]
    initial = {"visited_on": _default_day(assignment), "visitors": "、".join(members)}
    form = VisitForm(request.POST or None, request.FILES or None, initial=initial)
    new_findings = NewFindingFormSet(request.POST or None, prefix="finding")
    if request.method == "POST":
        visit = _save(request, form, new_findings, assignment=assignment)
        if visit is not None:
            messages.success(request, _("The visit was recorded."))
            return redirect(visit)
    return _form_page(request, form, new_findings, assignment, None)


@login_required
def visit_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for(request.user, pk)
    if not _may_record(request.user, visit):
        raise Http404
    initial: dict[str, Any] = {name: getattr(visit, name) for name in VISIT_FIELDS}
    initial["score"] = None if visit.scored_by_criteria else visit.score
    initial.update({f"score_{key}": points for key, points, _most in visit.breakdown})
    form = VisitForm(request.POST or None, request.FILES or None, initial=initial)
    new_findings = NewFindingFormSet(request.POST or None, prefix="finding")
    if request.method == "POST":
        saved = _save(request, form, new_findings, visit=visit)
        if saved is not None:
            messages.success(request, _("Changes saved."))
            return redirect(saved)
    return _form_page(request, form, new_findings, visit, visit)


@login_required
def visit_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One visit: who went and when, the score and its parts, what was found, the photos,
    and each finding with its 转为问题 button or the problem it became."""
    actor = request.user
    visit = selectors.visit_for(actor, pk)
    findings = [
        {"finding": finding, "problem_url": problem_url(finding.problem)}
        for finding in selectors.findings_of(visit)
    ]
    context = {
        "visit": visit,
        "round": visit.round,
        "project": visit.project,
        "photos": list(visit.photos.all()),
        "findings": findings,
        "can_record": _may_record(actor, visit),
        "can_raise": may_raise_finding(actor, visit.project),
        "sees_round": selectors.rounds_visible_to(actor).filter(pk=visit.round_id).exists(),
        "finding_form": FindingForm(),
        "max_photos": visit_services.MAX_PHOTOS_PER_VISIT,
    }
    return render(request, "supervision/rounds/visit_detail.html", context)


# ----------------------------------------------------------------------------- photos


def _photo_json(photo: VisitPhoto) -> dict[str, Any]:
    return {
        "id": photo.pk,
        "name": photo.original_name,
        "url": reverse("supervision:visit_photo", args=[photo.pk]),
        "thumbnail": reverse("supervision:visit_thumbnail", args=[photo.pk]),
        "remove": reverse("supervision:visit_photo_remove", args=[photo.pk]),
    }


@login_required
@require_POST
def photos_add(request: SignedInRequest, pk: int) -> HttpResponse:
    """Photos for a visit, several at once from a plain form (all or none), or one at a time
    from the page's script, which is answered in JSON to show each file's progress."""
    visit = selectors.visit_for(request.user, pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    files = request.FILES.getlist("photos")
    try:
        stored = visit_services.add_photos(
            actor=request.user, visit=visit, uploads=[(f, f.name or "") for f in files]
        )
    except (PermissionDenied, ValidationError, UploadRefused) as error:
        text = error.message if isinstance(error, UploadRefused) else refusal(error)
        if wants_json:
            status = 403 if isinstance(error, PermissionDenied) else 400
            return JsonResponse({"error": text}, status=status)
        messages.error(request, _("No photo was added. %(reason)s") % {"reason": text})
        return redirect(visit)
    if wants_json:
        return JsonResponse({"photos": [_photo_json(photo) for photo in stored]}, status=201)
    messages.success(request, _("%(count)s photos added.") % {"count": len(stored)})
    return redirect(visit)


@login_required
def photo_file(request: SignedInRequest, pk: int) -> HttpResponseBase:
    """A visit's photo, for those who may see the visit only."""
    photo = selectors.photo_for(request.user, pk)
    return serve_inline(photo.file, photo.content_type, request)


@login_required
def photo_thumbnail(request: SignedInRequest, pk: int) -> HttpResponseBase:
    photo = selectors.photo_for(request.user, pk)
    return serve_inline(photo.thumbnail, "image/jpeg", request)


@login_required
@require_POST
def photo_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    photo = selectors.photo_for(request.user, pk)
    visit = selectors.visit_for(request.user, photo.visit_id)
    try:
        visit_services.remove_photo(actor=request.user, photo=photo)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("The photo was removed."))
    return redirect(visit)


# ----------------------------------------------------------------------------- findings


@login_required
@require_POST
def finding_add(request: SignedInRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for(request.user, pk)
    form = FindingForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The finding was not added: choose its category and say in a line what was found."),
        )
        return redirect(visit)
    try:
        visit_services.add_finding(actor=request.user, visit=visit, **form.cleaned_data)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("The finding was added."))
    return redirect(f"{visit.get_absolute_url()}#findings")


@login_required
@require_POST
def finding_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_for(request.user, pk)
    try:
        visit_services.remove_finding(actor=request.user, finding=finding)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("The finding was removed."))
    return redirect(f"{finding.visit.get_absolute_url()}#findings")


@login_required
@require_POST
def finding_raise(request: SignedInRequest, pk: int) -> HttpResponse:
    """转为问题: the finding becomes a problem on the ledger, in one step."""
    finding = selectors.finding_for(request.user, pk)
    try:
        problem = visit_services.raise_finding_problem(actor=request.user, finding=finding)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(
            request,
            _("“%(title)s” is on the problem ledger, waiting to be assigned to a department.")
            % {"title": problem.title},
        )
    return redirect(f"{finding.visit.get_absolute_url()}#finding-{finding.pk}")

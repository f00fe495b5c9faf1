"""The pages of field rounds: the list, the round form, one round with its groups, results
and ranking, and a group's page where the organiser forms it and assigns its projects.

Thin: every read goes through `rounds.selectors` (404 outside the reader's scope), every
write through `rounds.services`; a refusal becomes a message and changes nothing.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import idempotency
from tiaodu.core.listing import page_context
from tiaodu.core.refusals import errors_onto, refusal
from tiaodu.core.scoping import Actor
from tiaodu.projects.selectors import projects_visible_to
from tiaodu.supervision import listings
from tiaodu.supervision.rounds import scores, selectors, services, workflow
from tiaodu.supervision.rounds.choices import RoundAction
from tiaodu.supervision.rounds.forms import (
    AssignProjectsForm,
    AssignRegionForm,
    GroupForm,
    MemberForm,
    RoundForm,
)
from tiaodu.supervision.rounds.models import FieldRound, RoundGroup
from tiaodu.supervision.rounds.permissions import covers_path, manages_round, round_relations

ROUND_FIELDS = ("kind", "title", "region", "start_date", "end_date", "organised_by", "notes")


@login_required
def round_list(request: SignedInRequest) -> HttpResponse:
    """现场督查: the rounds the reader sees, filtered by kind, status, year and title."""
    actor = request.user
    found = listings.rounds_source(request)
    context = {
        **page_context(request, listings.ROUNDS, found),
        "form": found.data["form"],
        "rounds": found.rows,
        "shown_rows": listings.ROUNDS.table().present(found.rows),
        "can_create": bool(selectors.organiser_regions(actor).exists()),
    }
    return render(request, "supervision/rounds/round_list.html", context)


@login_required
def round_create(request: SignedInRequest) -> HttpResponse:
    """Plan a new round (dispatchers, over their own region)."""
    if not selectors.organiser_regions(request.user).exists():
        raise Http404
    initial = {"region": selectors.organiser_regions(request.user).first()}
    form = RoundForm(request.POST or None, initial=initial, actor=request.user)
    if request.method == "POST" and form.is_valid():

        def plan() -> str | None:
            try:
                field_round = services.create_round(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                errors_onto(form, error)
                return None
            except PermissionDenied as error:
                form.add_error("region", refusal(error))
                return None
            messages.success(
                request,
                _("The round “%(title)s” is planned. Now form its groups.")
                % {"title": field_round.title},
            )
            return field_round.get_absolute_url()

        location = idempotency.form_once(request, "supervision.round", plan)
        if location is not None:
            return redirect(location)
    return render(request, "supervision/rounds/round_form.html", {"form": form})


@login_required
def round_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    field_round = selectors.round_for(request.user, pk)
    if not manages_round(request.user, field_round):
        raise Http404
    initial = {name: getattr(field_round, name) for name in ROUND_FIELDS}
    form = RoundForm(request.POST or None, initial=initial, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(actor=request.user, field_round=field_round, **form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        except PermissionDenied as error:
            form.add_error("region", refusal(error))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(field_round)
    return render(
        request, "supervision/rounds/round_form.html", {"form": form, "round": field_round}
    )


def _group_rows(
    actor: Actor, field_round: FieldRound, groups: list[RoundGroup]
) -> tuple[list[dict[str, Any]], dict[int, Any]]:
    """Per group: its members and the assigned projects the reader sees, each with its
    visit (or None) and whether the reader may record it."""
    assignments = list(selectors.assignments_visible_to(actor, field_round))
    visits = selectors.round_visits(actor, field_round)
    readable = set(
        projects_visible_to(actor)
        .filter(pk__in=[a.project_id for a in assignments])
        .values_list("pk", flat=True)
    )
    recording = field_round.status in workflow.RECORDING
    rows = []
    for group in groups:
        member_ids = {member.user_id for member in group.members.all() if member.user_id}
        mine = actor.pk in member_ids
        items = [
            {
                "assignment": assignment,
                "visit": visits.get(assignment.project_id),
                "readable": assignment.project_id in readable,
                "may_record": recording
                and (mine or covers_path(actor, assignment.project.region.path)),
            }
            for assignment in assignments
            if assignment.group_id == group.pk
        ]
        rows.append({"group": group, "items": items, "is_member": mine})
    return rows, visits


@login_required
def round_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One round: its dates and status, each group with its members and projects (visited
    or not, with the score), the ranking of the visited projects and the regions' averages."""
    actor = request.user
    field_round = selectors.round_for(actor, pk)
    groups = selectors.groups_of(field_round)
    rows, visits = _group_rows(actor, field_round, groups)
    seen = list(visits.values())
    scored = [visit.score for visit in seen if visit.score is not None]
    can_manage = manages_round(actor, field_round)
    ranked = listings.ranking_source(request, pk)
    context = {
        **page_context(request, listings.RANKING, ranked, pk=pk),
        "round": field_round,
        "rows": rows,
        "ranking": ranked.rows,
        "regions": ranked.data["regions"],
        "shown_ranking": listings.RANKING.table("ranking").present(ranked.rows),
        "shown_regions": listings.RANKING.table("regions").present(ranked.data["regions"]),
        "totals": {
            "assigned": sum(len(row["items"]) for row in rows),
            "visited": len(seen),
            "scored": len(scored),
            "average": scores.average(scored),
        },
        "can_manage": can_manage,
        "arranging": field_round.status in workflow.ARRANGING,
        "recording": field_round.status in workflow.RECORDING,
        "actions": [
            RoundAction(a)
            for a in workflow.ROUNDS.actions_for(
                round_relations(actor, field_round), field_round.status
            )
        ],
        "group_form": GroupForm(),
    }
    return render(request, "supervision/rounds/round_detail.html", context)


@login_required
@require_POST
def round_move(request: SignedInRequest, pk: int) -> HttpResponse:
    field_round = selectors.round_for(request.user, pk)
    action = request.POST.get("action", "")
    if action not in RoundAction.values:
        raise Http404
    try:
        services.move_round(actor=request.user, field_round=field_round, action=action)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
    else:
        field_round.refresh_from_db()
        messages.success(
            request,
            _("The round is now %(status)s.") % {"status": field_round.get_status_display()},
        )
    return redirect(field_round)


@login_required
@require_POST
def group_add(request: SignedInRequest, pk: int) -> HttpResponse:
    field_round = selectors.round_for(request.user, pk)
    form = GroupForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name the group."))
        return redirect(field_round)
    try:
        group = services.add_group(
            actor=request.user, field_round=field_round, name=form.cleaned_data["name"]
        )
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
        return redirect(field_round)
    messages.success(
        request,
        _("%(group)s was added. Add its members and assign its projects.") % {"group": group.name},
    )
    return redirect(group)


def _group_page(
    request: SignedInRequest,
    group: RoundGroup,
    *,
    member_form: MemberForm | None = None,
    projects_form: AssignProjectsForm | None = None,
    region_form: AssignRegionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.user
    field_round = group.round
    can_arrange = manages_round(actor, field_round) and field_round.status in workflow.ARRANGING
    assignments = [
        a for a in selectors.assignments_visible_to(actor, field_round) if a.group_id == group.pk
    ]
    visits = selectors.round_visits(actor, field_round)
    context = {
        "round": field_round,
        "group": group,
        "members": list(group.members.select_related("user")),
        "items": [{"assignment": a, "visit": visits.get(a.project_id)} for a in assignments],
        "can_arrange": can_arrange,
        "member_form": member_form or MemberForm(field_round=field_round),
        "projects_form": projects_form or AssignProjectsForm(field_round=field_round),
        "region_form": region_form or AssignRegionForm(field_round=field_round),
    }
    return render(request, "supervision/rounds/group.html", context, status=status)


@login_required
def group_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """A group: its members and assigned projects, and for the organiser the forms that
    change them."""
    return _group_page(request, selectors.group_for(request.user, pk))


@login_required
@require_POST
def group_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    group = selectors.group_for(request.user, pk)
    try:
        services.remove_group(actor=request.user, group=group)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
        return redirect(group)
    messages.success(request, _("%(group)s was removed.") % {"group": group.name})
    return redirect(group.round)


@login_required
@require_POST
def member_add(request: SignedInRequest, pk: int) -> HttpResponse:
    group = selectors.group_for(request.user, pk)
    form = MemberForm(request.POST, field_round=group.round)
    if form.is_valid():
        try:
            member = services.add_member(actor=request.user, group=group, **form.cleaned_data)
        except PermissionDenied as error:
            messages.error(request, refusal(error))
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("%(name)s joined the group.") % {"name": member.name})
            return redirect(group)
    return _group_page(request, group, member_form=form, status=400)


@login_required
@require_POST
def member_leader(request: SignedInRequest, pk: int) -> HttpResponse:
    member = selectors.member_for(request.user, pk)
    try:
        services.set_leader(actor=request.user, member=member)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("%(name)s leads the group.") % {"name": member.name})
    return redirect(member.group)


@login_required
@require_POST
def member_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    member = selectors.member_for(request.user, pk)
    try:
        services.remove_member(actor=request.user, member=member)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("%(name)s left the group.") % {"name": member.name})
    return redirect(member.group)


def _assigned_message(request: SignedInRequest, result: services.AssignResult) -> None:
    if result.added:
        messages.success(
            request,
            _("%(count)s projects assigned to the group.") % {"count": len(result.added)},
        )
    if result.skipped:
        messages.warning(
            request,
            _("Already assigned in this round, so left out: %(names)s.")
            % {"names": "、".join(project.name for project in result.skipped)},
        )


@login_required
@require_POST
def assign_projects(request: SignedInRequest, pk: int) -> HttpResponse:
    group = selectors.group_for(request.user, pk)
    form = AssignProjectsForm(request.POST, field_round=group.round)
    if form.is_valid():
        try:
            result = services.assign_projects(
                actor=request.user, group=group, projects=form.cleaned_data["projects"]
            )
        except PermissionDenied as error:
            messages.error(request, refusal(error))
        except ValidationError as error:
            errors_onto(form, error)
        else:
            _assigned_message(request, result)
            return redirect(group)
    return _group_page(request, group, projects_form=form, status=400)


@login_required
@require_POST
def assign_region(request: SignedInRequest, pk: int) -> HttpResponse:
    group = selectors.group_for(request.user, pk)
    form = AssignRegionForm(request.POST, field_round=group.round)
    if form.is_valid():
        try:
            result = services.assign_region(
                actor=request.user, group=group, region=form.cleaned_data["region"]
            )
        except PermissionDenied as error:
            messages.error(request, refusal(error))
        except ValidationError as error:
            errors_onto(form, error)
        else:
            _assigned_message(request, result)
            return redirect(group)
    return _group_page(request, group, region_form=form, status=400)


@login_required
@require_POST
def unassign(request: SignedInRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_for(request.user, pk)
    try:
        services.unassign_project(actor=request.user, assignment=assignment)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(
            request,
            _("%(project)s was taken off the group's list.") % {"project": assignment.project.name},
        )
    return redirect(assignment.group)

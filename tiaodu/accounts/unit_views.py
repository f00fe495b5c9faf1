"""The org tree of the administration area: open it level by level, search it, add a child,
edit a unit, move it with its subtree (the system administrator's)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts import org_units, orgtree
from tiaodu.accounts.area_forms import UnitAddForm, UnitEditForm, UnitMoveForm
from tiaodu.accounts.area_nav import area_context, require
from tiaodu.accounts.choices import child_kinds
from tiaodu.accounts.models import OrgUnit
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core.bounds import query_offset
from tiaodu.core.refusals import errors_onto


def _selected(request: HttpRequest) -> OrgUnit | None:
    raw = request.GET.get("unit", "")
    return OrgUnit.objects.filter(pk=int(raw)).first() if raw.isdigit() else None


def _tree_url(unit: OrgUnit) -> str:
    return f"{reverse('administration:units')}?unit={unit.pk}#unit-{unit.pk}"


def _page(
    request: HttpRequest,
    unit: OrgUnit | None,
    *,
    add_form: UnitAddForm | None = None,
    edit_form: UnitEditForm | None = None,
    move_form: UnitMoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context: dict[str, object] = {
        **area_context(request, "units"),
        "tree": orgtree.opened_down_to(unit),
        "count_labels": orgtree.count_labels(),
        "selected": unit,
        "query": query,
        "results": orgtree.search(query) if query else None,
    }
    if unit is not None:
        context.update(
            {
                "chain": orgtree.ancestors(unit),
                "counts": _counts_of(unit),
                "add_form": add_form or UnitAddForm(parent=unit),
                "can_add": bool(child_kinds(unit.kind)),
                "edit_form": edit_form
                or UnitEditForm(
                    initial={
                        "name": unit.name,
                        "region_code": unit.region_code or "",
                        "credit_code": unit.credit_code,
                        "contact_phone": unit.contact_phone,
                        "is_active": unit.is_active,
                    }
                ),
                "move_form": move_form or UnitMoveForm(),
            }
        )
    return render(request, "accounts/area/units.html", context, status=status)


def _counts_of(unit: OrgUnit) -> list[tuple[object, int]]:
    """The selected unit's own subtree counts (read as its parent's child)."""
    nodes, _more = orgtree.children_of(unit.parent)
    node = next((n for n in nodes if n.unit.pk == unit.pk), None)
    labels = dict(orgtree.count_labels())
    return [(labels[key], n) for key, n in node.counts] if node is not None else []


@login_required
def units(request: HttpRequest) -> HttpResponse:
    """The tree, opened down to the selected unit, with that unit's panel beside it."""
    require(request, "units")
    return _page(request, _selected(request))


@login_required
def children(request: HttpRequest, pk: int) -> HttpResponse:
    """One level of the tree under a unit (htmx: swapped in when the unit is opened)."""
    require(request, "units")
    parent = get_object_or_404(OrgUnit, pk=pk)
    offset = query_offset(request.GET.get("offset"))
    nodes, more = orgtree.children_of(parent, offset=offset)
    return render(
        request,
        "accounts/area/_tree_level.html",
        {"nodes": nodes, "more": more, "parent": parent, "next_offset": offset + orgtree.PAGE},
    )


@login_required
@require_POST
def add_child(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request, "units")
    parent = get_object_or_404(OrgUnit, pk=pk)
    form = UnitAddForm(request.POST, parent=parent)
    if form.is_valid():
        data = form.cleaned_data
        try:
            unit = org_units.add_org_unit(
                actor=request.user,
                parent=parent,
                name=data["name"],
                kind=data["kind"],
                region_code=data["region_code"] or None,
                credit_code=data["credit_code"],
                contact_phone=data["contact_phone"],
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(
                request, _("%(unit)s is added under %(parent)s.") % {"unit": unit, "parent": parent}
            )
            return redirect(_tree_url(unit))
    return _page(request, parent, add_form=form, status=400)


@login_required
@require_POST
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request, "units")
    unit = get_object_or_404(OrgUnit, pk=pk)
    form = UnitEditForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["region_code"] = data["region_code"] or None
        data["name"] = data["name"].strip()
        try:
            org_units.update_org_unit(actor=request.user, unit=unit, **data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("%(unit)s is saved.") % {"unit": unit})
            return redirect(_tree_url(unit))
    unit.refresh_from_db()
    return _page(request, unit, edit_form=form, status=400)


@login_required
@require_POST
def move(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request, "units")
    unit = get_object_or_404(OrgUnit, pk=pk)
    form = UnitMoveForm(request.POST)
    if form.is_valid():
        parent = form.cleaned_data["parent"]
        try:
            moved = org_units.move_org_unit(actor=request.user, unit=unit, parent=parent)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            values = {"unit": unit.name, "parent": parent.name, "n": moved}
            if unit.is_region:
                text = _(
                    "%(unit)s is now under %(parent)s (%(n)d units moved). Dispatchers and "
                    "leaders of %(parent)s now see its projects."
                )
            else:
                text = _("%(unit)s is now under %(parent)s (%(n)d units moved).")
            messages.success(request, text % values)
            return redirect(_tree_url(unit))
    return _page(request, unit, move_form=form, status=400)


@login_required
def move_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """Units a unit may move under whose name holds the query (htmx: the move form's
    choices), leaving out its own subtree and the kinds it may not sit under."""
    require(request, "units")
    unit = get_object_or_404(OrgUnit, pk=pk)
    query = request.GET.get("q", "").strip()
    targets: list[tuple[OrgUnit, list[OrgUnit]]] = []
    if query:
        targets = [
            (target, chain)
            for target, chain in orgtree.search(query)
            if not target.path.startswith(unit.path)
            and target.pk != unit.parent_id
            and unit.kind in child_kinds(target.kind)
        ]
    return render(request, "accounts/area/_move_targets.html", {"targets": targets, "query": query})

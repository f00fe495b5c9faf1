"""The bulletin pages: the list by month, the build page (month and region; the files are
built in the background and the bulletin's page shows the progress), and the bulletin's page
(the commentary form, the downloads, the workflow's buttons). Reads through `selectors`,
writes through `services`; whoever reads no bulletins gets a 404."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core.db_router import replica_reads
from tiaodu.core.downloads import name_download
from tiaodu.documents import selectors, services
from tiaodu.documents.choices import BuildStatus, BulletinAction
from tiaodu.documents.contents import HEADINGS, SECTIONS
from tiaodu.documents.files import CONTENT_TYPES, EXTENSIONS
from tiaodu.documents.forms import BuildForm, CommentaryForm
from tiaodu.documents.models import Bulletin
from tiaodu.documents.permissions import reads_bulletins, relations
from tiaodu.documents.workflow import BULLETINS, DISPATCHER


def _reader(request: HttpRequest) -> None:
    if not reads_bulletins(request.user):
        raise Http404


def _bulletin(request: HttpRequest, pk: int) -> Bulletin:
    _reader(request)
    return selectors.bulletin_for(request.user, pk)


def _refusal(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not take this step on this bulletin.")


@login_required
@replica_reads
def bulletin_list(request: SignedInRequest) -> HttpResponse:
    _reader(request)
    bulletins = selectors.bulletins_visible_to(request.user).select_related("signed_off_by")
    return render(
        request,
        "documents/bulletin_list.html",
        {
            "bulletins": bulletins,
            "can_build": selectors.draftable_regions(request.user).exists(),
        },
    )


@login_required
def bulletin_build(request: SignedInRequest) -> HttpResponse:
    """Choose the month and the region; the draft is made and its files built in the
    background, and its page shows the progress."""
    regions = selectors.draftable_regions(request.user)
    if not regions.exists():
        raise Http404
    form = BuildForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = services.draft_bulletin(
                actor=request.user,
                month=form.cleaned_data["month"],
                region=form.cleaned_data["region"],
            )
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, _refusal(error))
        else:
            return redirect("documents:bulletin", pk=bulletin.pk)
    return render(request, "documents/bulletin_build.html", {"form": form})


def _detail(
    request: SignedInRequest, bulletin: Bulletin, form: CommentaryForm | None = None
) -> HttpResponse:
    mine = relations(request.user, bulletin)
    editable = DISPATCHER in mine and bulletin.status in services.EDITABLE
    if editable and form is None:
        form = CommentaryForm(initial=bulletin.commentary)
    context: dict[str, Any] = {
        "bulletin": bulletin,
        "form": form if editable else None,
        "actions": BULLETINS.actions_for(mine, bulletin.status),
        "labels": dict(BulletinAction.choices),
        "commentary": [
            (HEADINGS[key], bulletin.commentary[key])
            for key in SECTIONS
            if bulletin.commentary.get(key)
        ],
        "may_rebuild": DISPATCHER in mine and not bulletin.is_issued,
        "downloads": [
            (ext, field)
            for ext, field in bulletin.files().items()
            if field and bulletin.build_status == BuildStatus.DONE
        ],
    }
    return render(request, "documents/bulletin_detail.html", context)


@login_required
@replica_reads
def bulletin_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    if request.headers.get("HX-Request"):
        if bulletin.building:
            return render(
                request, "documents/bulletin_detail.html#progress", {"bulletin": bulletin}
            )
        # Built (or failed): reload the whole page (downloads, buttons).
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    return _detail(request, bulletin)


@login_required
@require_POST
def bulletin_commentary(request: SignedInRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    form = CommentaryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The commentary is not saved; correct the marked boxes."))
        return _detail(request, bulletin, form)
    try:
        services.save_commentary(
            actor=request.user, bulletin=bulletin, commentary=form.cleaned_data
        )
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _refusal(error))
        bulletin.refresh_from_db()
        return _detail(request, bulletin, form)
    messages.success(request, _("The commentary is saved; the files are being built again."))
    return redirect("documents:bulletin", pk=pk)


@login_required
@require_POST
def bulletin_action(request: SignedInRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    action = request.POST.get("action", "")
    if action not in BulletinAction.values:
        raise Http404
    try:
        bulletin = services.take_action(
            actor=request.user, bulletin=bulletin, action=action, note=request.POST.get("note", "")
        )
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _refusal(error))
        return redirect("documents:bulletin", pk=pk)
    done = {
        BulletinAction.SUBMIT: _("The bulletin is submitted for sign-off."),
        BulletinAction.RETURN: _("The bulletin is returned to the dispatcher with your note."),
        BulletinAction.SIGN_OFF: _("The bulletin is signed off; the dispatcher may issue it."),
        BulletinAction.ISSUE: _(
            "The bulletin is issued as %(number)s; the issued files are being built."
        )
        % {"number": bulletin.number_label},
        BulletinAction.ARCHIVE: _("The bulletin is archived."),
    }
    messages.success(request, done[BulletinAction(action)])
    return redirect("documents:bulletin", pk=pk)


@login_required
@require_POST
def bulletin_rebuild(request: SignedInRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    try:
        services.rebuild(actor=request.user, bulletin=bulletin)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("The files are being built again from today's data."))
    return redirect("documents:bulletin", pk=pk)


@login_required
@replica_reads
def bulletin_file(request: SignedInRequest, pk: int, ext: str) -> FileResponse:
    """One of the files of the latest finished build."""
    bulletin = _bulletin(request, pk)
    field = bulletin.files().get(ext)
    if ext not in EXTENSIONS or not field or bulletin.build_status != BuildStatus.DONE:
        raise Http404
    if bulletin.number:
        name = bulletin.number_label  # 通报〔2026〕7号
    else:
        name = _("%(region)s bulletin %(month)s (unnumbered)") % {
            "region": bulletin.region.name,
            "month": f"{bulletin.month:%Y-%m}",
        }
    response = FileResponse(field.open("rb"), content_type=CONTENT_TYPES[ext])
    return name_download(
        response, f"{name}.{ext}", fallback=f"bulletin-{bulletin.month:%Y-%m}.{ext}"
    )

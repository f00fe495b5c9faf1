"""The accounts import in the administration area: the template, the upload, the preview
with every error, the import, and the one download of the new accounts' passwords.

The system administrator's import creates the units and accounts; the security
administrator's import of the same workbook gives the roles (三权分立, DOMAIN.md §2;
`account_import.plan`). An upload and its passwords file are their uploader's alone: anyone
else gets a 404, and so does a second download.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tiaodu.accounts.account_import import records, workbook
from tiaodu.accounts.account_import.plan import AccountImportPlan, unit_label
from tiaodu.accounts.area_nav import area_context, require
from tiaodu.accounts.import_models import AccountImport, AccountImportStatus
from tiaodu.accounts.permissions import grants_roles, manages_accounts
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import idempotency
from tiaodu.core.downloads import XLSX, download
from tiaodu.core.roles import Role

SHOWN_ROWS = 200


class AccountsUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Accounts workbook (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
    )


def _own(request: SignedInRequest, pk: int) -> AccountImport:
    require(request, "import")
    return get_object_or_404(AccountImport, pk=pk, uploaded_by=request.user)


@login_required
def template(request: SignedInRequest) -> HttpResponse:
    require(request, "import")
    return download(
        workbook.template(),
        content_type=XLSX,
        name="账号导入模板.xlsx",
        fallback="accounts-template.xlsx",
    )


@login_required
def upload(request: SignedInRequest) -> HttpResponse:
    require(request, "import")
    form = AccountsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():

        def create() -> str | None:
            upload = form.cleaned_data["file"]
            try:
                item = records.check_upload(actor=request.user, handle=upload, name=upload.name)
            except ValidationError as error:
                form.add_error("file", " ".join(error.messages))
                return None
            return reverse("administration:import_detail", args=[item.pk])

        location = idempotency.form_once(request, "accounts.import", create)
        if location is not None:
            return redirect(location)
    context = {
        **area_context(request, "import"),
        "form": form,
        "writes_accounts": manages_accounts(request.user),
        "writes_roles": grants_roles(request.user),
        "recent": AccountImport.objects.filter(uploaded_by=request.user)[:10],
        "limit": records.WEB_MAX_NEW_ACCOUNTS,
    }
    return render(request, "accounts/area/import.html", context, status=400 if form.errors else 200)


def _rows(plan: AccountImportPlan) -> dict[str, object]:
    return {
        "unit_rows": [
            {"line": line, "parent": unit_label(line.parent), "kind": line.kind}
            for line in plan.units[:SHOWN_ROWS]
        ],
        "user_rows": [
            {
                "line": line,
                "unit": unit_label(line.home),
                "roles": [
                    (Role(role.role).label, unit_label(role.scope), role.held)
                    for role in line.roles
                ],
            }
            for line in plan.users[:SHOWN_ROWS]
        ],
    }


@login_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _own(request, pk)
    context: dict[str, object] = {
        **area_context(request, "import"),
        "item": item,
        "statuses": AccountImportStatus,
        "shown": SHOWN_ROWS,
        "writes_accounts": manages_accounts(request.user),
        "writes_roles": grants_roles(request.user),
    }
    if item.status == AccountImportStatus.CHECKED:
        context.update(_rows(records.plan_of(actor=request.user, item=item)))
    return render(request, "accounts/area/import_detail.html", context)


@login_required
@require_POST
def apply(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _own(request, pk)
    try:
        result = records.import_upload(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("administration:import_detail", pk=item.pk)
    if result is None:
        messages.error(
            request,
            _("The site changed since the check, and the workbook no longer fits: see the errors."),
        )
    else:
        messages.success(
            request,
            _(
                "Imported: %(units_created)d units, %(users_created)d accounts, "
                "%(roles_given)d roles."
            )
            % result.summary(),
        )
    return redirect("administration:import_detail", pk=item.pk)


@login_required
@require_POST
def discard(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _own(request, pk)
    try:
        records.discard_upload(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("administration:import_detail", pk=item.pk)
    messages.success(request, _("The workbook is discarded; nothing was imported."))
    return redirect("administration:import")


@login_required
def passwords(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request, "import")
    taken = records.take_passwords(actor=request.user, pk=pk)
    if taken is None:
        raise Http404
    item, content = taken
    response = download(
        content,
        content_type=XLSX,
        name=f"一次性密码-{item.applied_at:%Y%m%d-%H%M}.xlsx"
        if item.applied_at
        else "一次性密码.xlsx",
        fallback="passwords.xlsx",
    )
    response["Cache-Control"] = "no-store"
    return response

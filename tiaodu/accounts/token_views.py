"""The user's own API tokens: list, issue (the token shown once), revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tiaodu.accounts.models import ApiToken
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.accounts.tokens import issue_api_token, revoke_api_token


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Where it is used"),
        max_length=100,
        help_text=gettext_lazy("For example 手机App or 指挥中心大屏."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Expires after (days)"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=gettext_lazy(
            "At most 365; empty: 90 days. A token also ends when the password is changed."
        ),
    )


@login_required
def api_tokens(request: SignedInRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, issued = issue_api_token(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "issued": issued}
    )


@login_required
@require_POST
def revoke_token(request: SignedInRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user_id=request.user.pk)
    revoke_api_token(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:api_tokens")

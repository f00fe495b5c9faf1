"""The messaging pages: the group robots and the dead letters (the system administrator's,
in the administration area) and each account's own channel settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.area_nav import area_context, require
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import idempotency
from tiaodu.core.refusals import errors_onto, refusal
from tiaodu.messaging import selectors, services, transports
from tiaodu.messaging.choices import NOTIFICATION_GROUPS, DeliveryStatus
from tiaodu.messaging.forms import ChannelForm, ProfileForm
from tiaodu.messaging.models import Channel, Delivery

PER_PAGE = 50


@login_required
def channel_list(request: SignedInRequest) -> HttpResponse:
    """The group robots, and the form that adds one."""
    require(request, "channels")
    form = ChannelForm(request.POST or None)
    if request.method == "POST":

        def create() -> str | None:
            if not form.is_valid():
                return None
            try:
                channel = services.create_channel(actor=request.user, **form.cleaned_data)
            except (PermissionDenied, ValidationError) as error:
                errors_onto(form, error)
                return None
            messages.success(request, _("The channel “%(name)s” is added.") % {"name": channel})
            return reverse("messaging:channels")

        location = idempotency.form_once(request, "messaging.channel", create)
        if location is not None:
            return redirect(location)
    context = {
        **area_context(request, "channels"),
        "channels": selectors.channels_with_counts(),
        "form": form,
        "groups": NOTIFICATION_GROUPS,
        "wecom_app": transports.wecom_configured(),
        "sms": transports.sms_configured(),
    }
    return render(request, "messaging/channels.html", context)


@login_required
def channel_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request, "channels")
    channel = get_object_or_404(Channel.objects.select_related("org_unit"), pk=pk)
    form = ChannelForm(request.POST or None, channel=channel)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_channel(actor=request.user, channel=channel, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("The channel “%(name)s” is saved.") % {"name": channel})
            return redirect("messaging:channels")
    context = {**area_context(request, "channels"), "channel": channel, "form": form}
    return render(request, "messaging/channel_edit.html", context)


@login_required
def dead_letters(request: HttpRequest) -> HttpResponse:
    """The messages that failed every attempt, newest first, with the last error."""
    require(request, "dead_letters")
    page = Paginator(selectors.dead_letters(), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **area_context(request, "dead_letters"),
        "page": page,
        "waiting": selectors.waiting_count(),
    }
    return render(request, "messaging/dead_letters.html", context)


@login_required
@require_POST
def send_again(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request, "dead_letters")
    delivery = get_object_or_404(Delivery, pk=pk, status=DeliveryStatus.DEAD)
    try:
        services.send_again(actor=request.user, delivery=delivery)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(
            request, _("“%(title)s” is queued to be sent again.") % {"title": delivery.title}
        )
    return redirect("messaging:dead_letters")


@login_required
def my_settings(request: SignedInRequest) -> HttpResponse:
    """The account's own channels per notification group, quiet hours and daily digest."""
    profile = services.profile_of(request.user)
    form = ProfileForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_profile(
                actor=request.user,
                choices=form.choices(),
                wecom_user_id=data["wecom_user_id"],
                quiet_from=data["quiet_from"],
                quiet_until=data["quiet_until"],
                daily_digest=data["daily_digest"],
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("Your message settings are saved."))
            return redirect("messaging:settings")
    context = {
        "form": form,
        "has_email": bool(request.user.email),
        "has_phone": bool(request.user.phone),
        "wecom_app": transports.wecom_configured(),
        "sms": transports.sms_configured(),
    }
    return render(request, "messaging/settings.html", context)

"""The home page of each role, and the auditor's audit log."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tiaodu.core.home import home_context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What the signed-in user works on, by role."""
    return render(request, "core/home.html", home_context(request.user))


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


@login_required
def audit_log_export(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError

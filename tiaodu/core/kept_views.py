"""Whether the figures a page showed from before a change have been computed again
(`core.stamps`): the page's notice asks, and offers to reload when they have."""

import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse

from tiaodu.core import stamps

TOKEN = re.compile(r"[A-Za-z0-9_-]{8,32}")
# A page shows a handful of kept values; more tokens than this are not a page's.
MOST_TOKENS = 20


@login_required
def refreshed(request: HttpRequest) -> JsonResponse:
    """{"ready": true} once every refresh the page's tokens name is done. A token says
    nothing but that: it is a random name, not what was computed."""
    tokens = request.GET.getlist("token")
    if not tokens or len(tokens) > MOST_TOKENS or not all(TOKEN.fullmatch(t) for t in tokens):
        return JsonResponse({"error": "token"}, status=400)
    return JsonResponse({"ready": stamps.refreshed(tokens)})

"""The signed-in user of a request, typed as the `User` it is.

A page behind `login_required`, the admin's pages and the token-authenticated API only run
for a signed-in account, yet Django types `request.user` as a user or the anonymous one.
Views annotate their request as `SignedInRequest`; code that receives a plain `HttpRequest`
(the admin's hooks, class-based views) asks `user_of(request)`.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from tiaodu.accounts.models import User


class SignedInRequest(HttpRequest):
    """A request whose user has signed in (behind `login_required`, the admin or a token)."""

    user: User


def user_of(request: HttpRequest) -> User:
    """The request's signed-in user; refused (403) for the anonymous one, which the
    sign-in checks in front of every caller already turn away."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user

"""Who hears of a notice, and what they read (under the bell and by email).

Issued: the department handlers or reporters of the recipient unit (those who may answer
it), for a warning letter the sponsoring leader's account, and the account of the task
force's head the notice also goes to. Answered: the issuer and
the dispatchers of the notice's region, that is the dispatchers of the deepest region
that holds every project of the notice (the district's for a district's projects).

The services call these inside their transaction: the notification rows commit or roll
back with the notice, and `core.notifications.notify` sends the emails on commit.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit, User, UserRole
from tiaodu.core.audit import in_site_language
from tiaodu.core.notifications import notify
from tiaodu.core.roles import Role
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.supervision.notices.models import Notice, NoticeResponse

ISSUED = "supervision.notice_issued"
ANSWERED = "supervision.notice_answered"
TITLE_MAX = 200


def _prefixes(path: str) -> list[str]:
    """ "/1/7/42/" → ["/1/", "/1/7/", "/1/7/42/"]: the unit and every unit above it."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def recipient_users(unit: OrgUnit) -> list[User]:
    """The active department handlers and reporters whose unit is (or holds) `unit`."""
    grants = UserRole.objects.filter(
        role__in=[Role.DEPARTMENT_HANDLER, Role.REPORTER],
        org_unit__path__in=_prefixes(unit.path),
        user__is_active=True,
    ).select_related("user")
    return list({grant.user_id: grant.user for grant in grants}.values())


def region_dispatchers(notice: Notice) -> list[User]:
    """The active dispatchers of the deepest region holding every project of the notice."""
    paths = [project.region.path for project in notice.projects.select_related("region")]
    if not paths:
        return []
    grants = [
        grant
        for grant in UserRole.objects.filter(
            role=Role.DISPATCHER, org_unit__path__in=_prefixes(paths[0]), user__is_active=True
        ).select_related("user", "org_unit")
        if grant.org_unit is not None and all(p.startswith(grant.org_unit.path) for p in paths)
    ]
    if not grants:
        return []
    deepest = max(grant.org_unit.depth for grant in grants if grant.org_unit is not None)
    return [g.user for g in grants if g.org_unit is not None and g.org_unit.depth == deepest]


def _link(notice: Notice) -> str:
    return reverse("supervision:notice", args=[notice.pk])


def _project_names(notice: Notice) -> str:
    return "、".join(notice.projects.order_by("pk").values_list("name", flat=True))


def notice_issued(notice: Notice) -> None:
    """Tell the recipient unit (and, for a warning letter, the sponsoring leader)."""
    recipients: list[Any] = recipient_users(notice.recipient_unit)
    leader = notice.sponsoring_leader
    if notice.kind == NoticeKind.WARNING_LETTER and leader is not None and leader.user:
        recipients.append(leader.user)
    head = notice.task_force_head
    if head is not None and head.user is not None and head.user.is_active:
        recipients.append(head.user)
    with in_site_language():
        values = {
            "kind": notice.get_kind_display(),
            "number": notice.number_label,
            "subject": notice.subject,
            "unit": notice.recipient_unit.name,
            "projects": _project_names(notice),
            "deadline": notice.response_deadline.isoformat(),
        }
        title = _("%(kind)s %(number)s: %(subject)s") % values
        body = (
            _(
                "A %(kind)s was issued to %(unit)s about: %(projects)s. "
                "Please respond by %(deadline)s."
            )
            % values
        )
    notify(
        recipients=recipients,
        kind=ISSUED,
        title=title[:TITLE_MAX],
        body=body,
        link=_link(notice),
        key=f"{ISSUED}:{notice.pk}",
    )


def notice_answered(notice: Notice, response: NoticeResponse) -> None:
    """Tell the issuer and the region's dispatchers that the unit has answered."""
    recipients = [notice.issued_by, *region_dispatchers(notice)]
    with in_site_language():
        values = {
            "unit": notice.recipient_unit.name,
            "number": notice.number_label,
            "responder": str(response.responder),
            "subject": notice.subject,
        }
        title = _("%(unit)s answered %(number)s") % values
        body = (
            _(
                "%(responder)s answered %(number)s (%(subject)s) for %(unit)s. "
                "Read the response and close the notice when it is accepted."
            )
            % values
        )
    notify(
        recipients=recipients,
        kind=ANSWERED,
        title=title[:TITLE_MAX],
        body=body,
        link=_link(notice),
        key=f"{ANSWERED}:{response.pk}",
    )

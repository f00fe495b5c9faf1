"""The supervision notices of the global search (`core.search`) and the notice list among
the pages whose filters users save (`core.saved_filters`), registered in
`SupervisionConfig.ready`.

A notice is found by its document number (督办〔2026〕7号), its subject, its recipient's or a
project's name, within the actor's scope (`selectors.notices_visible_to`), with the list's
own text filter (`filters.text_condition`), so that the "more" link lists the same rows.
"""

from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tiaodu.core.saved_filters import FilterPage, register_page
from tiaodu.core.scoping import Someone
from tiaodu.core.search import Hit, Searcher, register_searcher
from tiaodu.projects.permissions import reads_business_data
from tiaodu.supervision.notices import selectors
from tiaodu.supervision.notices.filters import text_condition
from tiaodu.supervision.notices.models import Notice

NOTICES = "supervision.notices"


def find_notices(actor: Someone, words: str) -> QuerySet[Notice]:
    if not reads_business_data(actor):
        return Notice.objects.none()
    return (
        selectors.notices_visible_to(actor)
        .filter(text_condition(words))
        .order_by("-issued_at", "-id")
    )


def notice_hit(notice: Notice) -> Hit:
    return Hit(
        title=notice.number_label,
        url=reverse("supervision:notice", args=[notice.pk]),
        detail=f"{notice.subject} · {notice.recipient_unit.name}",
        badge=str(notice.get_status_display()),
    )


def notice_list_url(actor: Someone, words: str) -> str:
    return f"{reverse('supervision:notices')}?{urlencode({'q': words})}"


def register() -> None:
    register_searcher(
        Searcher(
            key="notices",
            label=_("Supervision notices"),
            icon="file-alert",
            allowed=reads_business_data,
            find=find_notices,
            hit=notice_hit,
            list_url=notice_list_url,
            order=30,
        )
    )
    register_page(
        FilterPage(key=NOTICES, label=_("Supervision notices"), url_name="supervision:notices")
    )

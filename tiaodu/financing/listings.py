"""The editions of the financing-needs lists, shown and exported from one definition
(core.listing): the page `/financing/` and its export read the same source, in the
reader's scope (`selectors.lists_visible_to`)."""

from django.db.models import Count, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy, pgettext_lazy

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core.listing import Column, Found, Kind, Listing, Table, register
from tiaodu.financing import selectors
from tiaodu.financing.choices import FinancingListStatus
from tiaodu.financing.models import FinancingList
from tiaodu.financing.permissions import reads_financing

BADGES = {
    FinancingListStatus.DRAFT: "bg-secondary-lt",
    FinancingListStatus.PUBLISHED: "bg-green-lt",
    FinancingListStatus.CLOSED: "bg-azure-lt",
}


def lists_source(request: SignedInRequest) -> Found:
    """融资需求清单: the editions the reader may open, the latest first, with the count and
    amount of their needs (every need: the edition's own figures)."""
    if not reads_financing(request.user):
        raise Http404
    rows = selectors.lists_visible_to(request.user).annotate(
        need_count=Count("needs"), need_amount=Sum("needs__amount")
    )
    return Found(list(rows), lambda: [])


def _status(row: FinancingList) -> str:
    return str(row.get_status_display())


LISTS = register(
    Listing(
        key="financing.lists",
        page="financing:lists",
        export="financing:lists_export",
        name=gettext_lazy("Financing-needs lists"),
        fallback="financing-needs-lists",
        tables=(
            Table(
                "lists",
                (
                    Column(
                        gettext_lazy("Edition"),
                        lambda r: r.title,
                        width=40,
                        link=lambda r: r.get_absolute_url(),
                    ),
                    Column(
                        pgettext_lazy("financing", "Region"),
                        lambda r: r.region.name,
                        css="text-nowrap",
                    ),
                    Column(
                        gettext_lazy("Status"), _status, badge=lambda r: BADGES.get(r.status, "")
                    ),
                    Column(gettext_lazy("Published at"), lambda r: r.published_at, Kind.DATE),
                    Column(gettext_lazy("Needs"), lambda r: r.need_count, Kind.COUNT),
                    Column(
                        gettext_lazy("Amount needed (10k yuan)"),
                        lambda r: r.need_amount,
                        Kind.MONEY,
                        width=18,
                    ),
                ),
            ),
        ),
        source=lists_source,
    )
)

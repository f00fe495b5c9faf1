"""The supervision pages: the URLconfs of its sub-domains joined under one namespace
(`supervision:notices`, `supervision:rounds`, `supervision:meetings` …)."""

from django.urls import path

from tiaodu.core.listing import export_view
from tiaodu.supervision import listings
from tiaodu.supervision.instructions import urls as instruction_urls
from tiaodu.supervision.meetings import urls as meeting_urls
from tiaodu.supervision.notices import urls as notice_urls
from tiaodu.supervision.rounds import urls as round_urls

app_name = "supervision"

urlpatterns = [
    path("notices/export.xlsx", export_view(listings.NOTICES), name="notices_export"),
    path("meetings/export.xlsx", export_view(listings.MEETINGS), name="meetings_export"),
    path("rounds/export.xlsx", export_view(listings.ROUNDS), name="rounds_export"),
    path(
        "rounds/<int:pk>/ranking.xlsx",
        export_view(listings.RANKING),
        name="round_ranking_export",
    ),
    path(
        "instructions/export.xlsx",
        export_view(listings.INSTRUCTIONS),
        name="instructions_export",
    ),
    path(
        "instructions/inbox/export.xlsx",
        export_view(listings.INSTRUCTION_INBOX),
        name="instruction_inbox_export",
    ),
    *notice_urls.urlpatterns,
    *round_urls.urlpatterns,
    *meeting_urls.urlpatterns,
    *instruction_urls.urlpatterns,
]

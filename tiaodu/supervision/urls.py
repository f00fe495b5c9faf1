"""The supervision pages: the URLconfs of its sub-domains joined under one namespace
(`supervision:notices`, `supervision:rounds`, `supervision:meetings` …)."""

from tiaodu.supervision.instructions import urls as instruction_urls
from tiaodu.supervision.meetings import urls as meeting_urls
from tiaodu.supervision.notices import urls as notice_urls
from tiaodu.supervision.rounds import urls as round_urls

app_name = "supervision"

urlpatterns = [
    *notice_urls.urlpatterns,
    *round_urls.urlpatterns,
    *meeting_urls.urlpatterns,
    *instruction_urls.urlpatterns,
]

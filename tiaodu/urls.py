from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from tiaodu.api import api
from tiaodu.core.admin_site import management_site

urlpatterns = [
    path("", include("tiaodu.core.urls")),
    path("accounts/", include("tiaodu.accounts.urls")),
    path("projects/", include("tiaodu.projects.urls")),
    path("reports/", include("tiaodu.reporting.urls")),
    path("problems/", include("tiaodu.problems.urls")),
    path("supervision/", include("tiaodu.supervision.urls")),
    path("evaluation/", include("tiaodu.scoring.urls")),
    path("campaigns/", include("tiaodu.campaigns.urls")),
    path("analytics/", include("tiaodu.analytics.urls")),
    path("dashboard/", include("tiaodu.analytics.dashboard_urls")),
    path("screen/", include("tiaodu.analytics.screen_urls")),
    path("documents/", include("tiaodu.documents.urls")),
    path("map/", include("tiaodu.maps.urls")),
    path("video/", include("tiaodu.video.urls")),
    path("administration/", include("tiaodu.accounts.area_urls")),
    path("messaging/", include("tiaodu.messaging.urls")),
    path("manage/", management_site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

# The error pages in the product's layout and language; JSON under /api/ (docs/errors.md).
handler400 = "tiaodu.core.error_views.bad_request"
handler403 = "tiaodu.core.error_views.permission_denied"
handler404 = "tiaodu.core.error_views.page_not_found"
handler500 = "tiaodu.core.error_views.server_error"

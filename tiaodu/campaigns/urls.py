"""The campaign pages, under the campaigns namespace (`campaigns:` …); the groundbreaking
batches' pages are joined from `batch_urls`."""

from django.urls import path

from tiaodu.campaigns import batch_urls, campaign_views, change_urls, form_views, listings
from tiaodu.core.listing import export_view

app_name = "campaigns"

urlpatterns = [
    path("", campaign_views.campaign_list, name="list"),
    path("export.xlsx", export_view(listings.CAMPAIGNS), name="list_export"),
    path("new/", form_views.campaign_create, name="create"),
    path("<int:pk>/", campaign_views.campaign_detail, name="detail"),
    path(
        "<int:pk>/held-back.xlsx",
        export_view(listings.CAMPAIGN_PROJECTS),
        name="detail_export",
    ),
    path("<int:pk>/edit/", form_views.campaign_edit, name="edit"),
    path("<int:pk>/copy/", campaign_views.campaign_copy, name="copy"),
    *batch_urls.urlpatterns,
    *change_urls.urlpatterns,
]

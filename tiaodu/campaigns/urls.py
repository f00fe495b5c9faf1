"""The campaign pages, under the campaigns namespace (`campaigns:` …)."""

from django.urls import path

from tiaodu.campaigns import campaign_views

app_name = "campaigns"

urlpatterns = [
    path("", campaign_views.campaign_list, name="list"),
    path("<int:pk>/", campaign_views.campaign_detail, name="detail"),
    path("<int:pk>/copy/", campaign_views.campaign_copy, name="copy"),
]

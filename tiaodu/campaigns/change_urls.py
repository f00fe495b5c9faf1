"""The list change pages (joined into `campaigns/urls.py`)."""

from django.urls import path

from tiaodu.campaigns import change_views as views
from tiaodu.campaigns import listings
from tiaodu.core.listing import export_view

urlpatterns = [
    path("changes/", views.change_list, name="changes"),
    path("changes/export.xlsx", export_view(listings.CHANGES), name="changes_export"),
    path("changes/<int:pk>/", views.change_detail, name="change"),
    path("changes/<int:pk>/decide/", views.change_decide, name="change_decide"),
    path("changes/replace/<int:plan_pk>/", views.change_replace, name="change_replace"),
    path("changes/promote/<int:plan_pk>/", views.change_promote, name="change_promote"),
]

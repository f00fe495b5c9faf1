"""The financing-needs pages, under the financing namespace (`financing:` …)."""

from django.urls import path

from tiaodu.core.listing import export_view
from tiaodu.financing import listings, proposal_views, views

app_name = "financing"

urlpatterns = [
    path("", views.list_index, name="lists"),
    path("export.xlsx", export_view(listings.LISTS), name="lists_export"),
    path("new/", views.list_create, name="create"),
    path("<int:pk>/", views.list_detail, name="detail"),
    path("<int:pk>/needs/add/", views.need_add, name="need_add"),
    path("<int:pk>/needs/<int:need_id>/remove/", views.need_remove, name="need_remove"),
    path("<int:pk>/needs/<int:need_id>/answer/", views.need_answer, name="answer"),
    path("<int:pk>/act/<str:action>/", views.list_act, name="act"),
    path("<int:pk>/proposals/add/", proposal_views.proposal_add, name="propose"),
    path(
        "<int:pk>/proposals/<int:proposal_id>/<str:decision>/",
        proposal_views.proposal_decide,
        name="proposal_decide",
    ),
    path("<int:pk>/list.<str:kind>", views.list_export, name="export"),
]

"""The groundbreaking batch pages (joined into `campaigns/urls.py`)."""

from django.urls import path

from tiaodu.campaigns import batch_views as views
from tiaodu.campaigns import listings
from tiaodu.core.listing import export_view

urlpatterns = [
    path("batches/", views.batch_list, name="batches"),
    path("batches/export.xlsx", export_view(listings.BATCHES), name="batches_export"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/edit/", views.batch_edit, name="batch_edit"),
    path("batches/<int:pk>/delete/", views.batch_delete, name="batch_delete"),
    path("batches/<int:pk>/add/", views.batch_add, name="batch_add"),
    path("batches/<int:pk>/remove/<int:plan_id>/", views.batch_remove, name="batch_remove"),
    path("batches/<int:pk>/list.<str:kind>", views.batch_export, name="batch_export"),
]

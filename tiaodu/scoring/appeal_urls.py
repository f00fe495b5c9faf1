"""The card page and its appeals (joined into `scoring/urls.py`)."""

from django.urls import path

from tiaodu.core.listing import export_view
from tiaodu.scoring import appeal_views, listings

urlpatterns = [
    path("cards/<int:pk>/", appeal_views.card_detail, name="card"),
    path("cards/<int:pk>/appeal/", appeal_views.appeal_raise, name="appeal"),
    path("appeals/", appeal_views.appeal_queue, name="appeals"),
    path("appeals/export.xlsx", export_view(listings.APPEALS), name="appeals_export"),
    path("appeals/<int:pk>/decide/", appeal_views.appeal_decide, name="appeal_decide"),
    path("appeals/files/<int:pk>/", appeal_views.appeal_file, name="appeal_file"),
    path(
        "appeals/files/<int:pk>/thumbnail/", appeal_views.appeal_thumbnail, name="appeal_thumbnail"
    ),
]

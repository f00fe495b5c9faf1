"""The rankings and the assessment indicators (joined into `scoring/urls.py`)."""

from django.urls import path

from tiaodu.scoring import ranking_views

urlpatterns = [
    path("rankings/", ranking_views.rankings_page, name="rankings"),
    path("indicators/", ranking_views.indicators_page, name="indicators"),
]

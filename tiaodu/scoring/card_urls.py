"""The card pages, under the scoring namespace (`scoring:cards` …)."""

from django.urls import path

from tiaodu.scoring import card_views

urlpatterns = [
    path("cards/", card_views.card_board, name="cards"),
    path("cards/list/", card_views.card_list, name="card_list"),
    path("cards/compute/", card_views.compute, name="compute_cards"),
    path("rules/", card_views.rules_page, name="rules"),
]

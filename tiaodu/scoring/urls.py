"""The evaluation pages, under the scoring namespace (`scoring:proposals`, `scoring:cards`,
`scoring:rankings` …): each part keeps its own URLconf or lines, joined here."""

from django.urls import path

from tiaodu.scoring import appeal_urls, card_urls, proposal_views, ranking_urls

app_name = "scoring"

urlpatterns = [
    *card_urls.urlpatterns,
    path("proposals/", proposal_views.proposal_list, name="proposals"),
    path("proposals/<int:pk>/issue/", proposal_views.proposal_issue, name="proposal_issue"),
    path("proposals/<int:pk>/dismiss/", proposal_views.proposal_dismiss, name="proposal_dismiss"),
    *appeal_urls.urlpatterns,
    *ranking_urls.urlpatterns,
]

"""The evaluation pages under one namespace (`scoring:`): each part of the app keeps its own
URLconf (cards, rankings, proposals, appeals) and is joined here."""

app_name = "scoring"

urlpatterns: list = []

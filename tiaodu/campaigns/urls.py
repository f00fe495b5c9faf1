"""The campaign pages, under the campaigns namespace (`campaigns:` …)."""

app_name = "campaigns"

urlpatterns: list = []

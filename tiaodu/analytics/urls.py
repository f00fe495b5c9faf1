from django.urls import path

from tiaodu.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.figures, name="figures"),
    path("not-in-statistics/", views.not_in_statistics, name="not_in_statistics"),
]

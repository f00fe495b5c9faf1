from django.urls import path

from tiaodu.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.figures, name="figures"),
]

from django.urls import path

from tiaodu.analytics import dashboard_views

app_name = "dashboard"
urlpatterns = [path("", dashboard_views.page, name="page")]

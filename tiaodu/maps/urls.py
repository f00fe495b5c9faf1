from django.urls import path

from tiaodu.maps import views

app_name = "maps"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("boundaries.json", views.boundaries, name="boundaries"),
]

from django.urls import path

from tiaodu.analytics import screen_views

app_name = "screen"
urlpatterns = [
    path("", screen_views.page, name="page"),
    path("panels/", screen_views.panels, name="panels"),
    path("pair/<str:code>/", screen_views.pair, name="pair"),
]

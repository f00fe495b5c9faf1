"""The bulletin pages, under the documents namespace (`documents:` …)."""

from django.urls import path

from tiaodu.documents import views

app_name = "documents"

urlpatterns = [
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/new/", views.bulletin_build, name="bulletin_build"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/commentary/", views.bulletin_commentary, name="bulletin_commentary"),
    path("bulletins/<int:pk>/action/", views.bulletin_action, name="bulletin_action"),
    path("bulletins/<int:pk>/rebuild/", views.bulletin_rebuild, name="bulletin_rebuild"),
    path("bulletins/<int:pk>/file.<str:ext>", views.bulletin_file, name="bulletin_file"),
]

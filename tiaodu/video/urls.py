from django.urls import path

from tiaodu.video import views

app_name = "video"
urlpatterns = [
    path("", views.wall, name="wall"),
    path("projects/<int:project_id>/cameras/", views.camera_add, name="camera_add"),
    path("cameras/<int:pk>/edit/", views.camera_edit, name="camera_edit"),
    path("cameras/<int:pk>/remove/", views.camera_remove, name="camera_remove"),
    path("meetings/<int:pk>/roll-call/", views.roll_call, name="roll_call"),
]

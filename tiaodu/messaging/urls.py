"""The messaging pages: the system administrator's channels and dead letters (in the
administration area) and each account's own channel settings."""

from django.urls import path

from tiaodu.messaging import views

app_name = "messaging"
urlpatterns = [
    path("channels/", views.channel_list, name="channels"),
    path("channels/<int:pk>/", views.channel_edit, name="channel_edit"),
    path("dead-letters/", views.dead_letters, name="dead_letters"),
    path("dead-letters/<int:pk>/send-again/", views.send_again, name="send_again"),
    path("settings/", views.my_settings, name="settings"),
]

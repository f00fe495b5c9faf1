from django.urls import path

from tiaodu.core import notification_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/<int:pk>/open/",
        notification_views.notification_open,
        name="notification_open",
    ),
    path("notifications/read/", notification_views.notifications_read, name="notifications_read"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.xlsx", views.audit_log_export, name="audit_log_export"),
]

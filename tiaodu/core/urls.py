from django.urls import path

from tiaodu.core import kept_views, notification_views, saved_filter_views, search_views, views

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
    path("search/", search_views.search_page, name="search"),
    path("search/suggest/", search_views.search_suggest, name="search_suggest"),
    path("views/", saved_filter_views.saved_filter_list, name="saved_filters"),
    path("views/save/", saved_filter_views.saved_filter_save, name="saved_filter_save"),
    path("views/<int:pk>/", saved_filter_views.saved_filter_open, name="saved_filter_open"),
    path(
        "views/<int:pk>/rename/", saved_filter_views.saved_filter_rename, name="saved_filter_rename"
    ),
    path(
        "views/<int:pk>/default/",
        saved_filter_views.saved_filter_default,
        name="saved_filter_default",
    ),
    path(
        "views/<int:pk>/delete/", saved_filter_views.saved_filter_delete, name="saved_filter_delete"
    ),
    path("figures/refreshed/", kept_views.refreshed, name="kept_refreshed"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.xlsx", views.audit_log_export, name="audit_log_export"),
]

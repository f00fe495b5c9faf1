from django.urls import path

from tiaodu.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.xlsx", views.audit_log_export, name="audit_log_export"),
]

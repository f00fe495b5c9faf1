from django.urls import path

from tiaodu.core.listing import export_view
from tiaodu.projects import export_views, import_views, listings, taskforce_views, views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("export.xlsx", views.project_export, name="export"),
    path("exports/<int:pk>/", export_views.export_detail, name="export_detail"),
    path("exports/<int:pk>/download.xlsx", export_views.export_download, name="export_download"),
    path("new/", views.project_create, name="create"),
    path("import/", import_views.import_upload, name="import"),
    path("import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/retry/", import_views.import_retry, name="import_retry"),
    path("import/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
    path("import/<int:pk>/date/", import_views.import_date, name="import_date"),
    path("import/<int:pk>/errors.xlsx", import_views.import_errors, name="import_errors"),
    path("taskforces/", taskforce_views.taskforce_list, name="taskforces"),
    path("taskforces/export.xlsx", export_view(listings.TASK_FORCES), name="taskforces_export"),
    path("taskforces/new/", taskforce_views.taskforce_create, name="taskforce_create"),
    path("taskforces/<int:pk>/", taskforce_views.taskforce_detail, name="taskforce_detail"),
    path("taskforces/<int:pk>/edit/", taskforce_views.taskforce_edit, name="taskforce_edit"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/plans/new/", views.plan_edit, name="plan_create"),
    path("<int:pk>/plans/<int:year>/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/procedures/", views.procedures_edit, name="procedures"),
]

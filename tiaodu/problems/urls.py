from django.urls import path

from tiaodu.core.listing import export_view
from tiaodu.problems import detail_views, listings, raise_views, views

app_name = "problems"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export/", views.ledger_export, name="export"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/export.xlsx", export_view(listings.INBOX), name="inbox_export"),
    path("departments/", views.departments, name="departments"),
    path(
        "departments/export.xlsx",
        export_view(listings.DEPARTMENTS),
        name="departments_export",
    ),
    path("blockers/", views.blockers, name="blockers"),
    path("blockers/export.xlsx", export_view(listings.BLOCKERS), name="blockers_export"),
    path("raise/", raise_views.raise_problem, name="raise"),
    path("direct/", raise_views.direct_channel, name="direct"),
    path("<int:pk>/", detail_views.problem_detail, name="detail"),
    path("<int:pk>/comment/", detail_views.comment, name="comment"),
    path("<int:pk>/handlers/", detail_views.handler_options, name="handler_options"),
    path("<int:pk>/<slug:action>/", detail_views.problem_step, name="step"),
    path("files/<int:pk>/", detail_views.attachment, name="attachment"),
]

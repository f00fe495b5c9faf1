from django.urls import path

from tiaodu.core.listing import export_view
from tiaodu.reporting import board_views, listings, review_views, settings_views, views

app_name = "reporting"
urlpatterns = [
    path("", views.due_list, name="due"),
    path("due/export.xlsx", export_view(listings.DUE), name="due_export"),
    path("open/", views.open_report, name="open"),
    path("review/", review_views.queue, name="queue"),
    path("review/export.xlsx", export_view(listings.QUEUE), name="queue_export"),
    path("board/", board_views.board, name="board"),
    path("board/export.xlsx", export_view(listings.BOARD), name="board_export"),
    path("board/<int:period_id>/missing/", board_views.missing, name="missing"),
    path(
        "board/<int:period_id>/missing/export.xlsx",
        export_view(listings.MISSING),
        name="missing_export",
    ),
    path("board/<int:period_id>/missing/urge/", board_views.urge, name="urge"),
    path("settings/", settings_views.settings_page, name="settings"),
    path("settings/cycles/", settings_views.save_cycles, name="save_cycles"),
    path("settings/exceptions/", settings_views.grant_exception, name="grant_exception"),
    path("review/approve/", review_views.bulk_approve, name="bulk_approve"),
    path("<int:pk>/", views.report_page, name="report"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path("<int:pk>/approve/", review_views.approve, name="approve"),
    path("<int:pk>/return/", review_views.return_view, name="return"),
    path("<int:pk>/files/", views.upload, name="upload"),
    path("files/<int:pk>/", views.file_view, name="file"),
    path("files/<int:pk>/thumbnail/", views.thumbnail_view, name="thumbnail"),
    path("files/<int:pk>/remove/", views.remove_file, name="remove_file"),
]

from django.urls import path

from tiaodu.supervision import meeting_views, views
from tiaodu.supervision.rounds import urls as round_urls

app_name = "supervision"

urlpatterns = [
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_create, name="notice_create"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/respond/", views.notice_respond, name="notice_respond"),
    path("notices/<int:pk>/close/", views.notice_close, name="notice_close"),
    path("notices/<int:pk>.docx", views.notice_docx, name="notice_docx"),
    path("notices/<int:pk>.pdf", views.notice_pdf, name="notice_pdf"),
    *round_urls.urlpatterns,
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/new/", meeting_views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", meeting_views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/agenda/", meeting_views.agenda_add, name="agenda_add"),
    path(
        "meetings/<int:pk>/agenda/<int:problem_id>/remove/",
        meeting_views.agenda_remove,
        name="agenda_remove",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:problem_id>/decide/",
        meeting_views.decide,
        name="decide",
    ),
]

"""The meeting pages, under the supervision namespace (`supervision:meeting` …)."""

from django.urls import path

from tiaodu.supervision.meetings import views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path(
        "meetings/<int:pk>/agenda/<int:problem_id>/remove/",
        views.agenda_remove,
        name="agenda_remove",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:problem_id>/decide/",
        views.decide,
        name="decide",
    ),
]

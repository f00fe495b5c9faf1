"""The notice pages, under the supervision namespace (`supervision:notice` …)."""

from django.urls import path

from tiaodu.supervision.notices import views

urlpatterns = [
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_create, name="notice_create"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/respond/", views.notice_respond, name="notice_respond"),
    path("notices/<int:pk>/close/", views.notice_close, name="notice_close"),
    path("notices/<int:pk>.docx", views.notice_docx, name="notice_docx"),
    path("notices/<int:pk>.pdf", views.notice_pdf, name="notice_pdf"),
]

"""The instruction pages, under the supervision namespace (`supervision:instruction` …)."""

from django.urls import path

from tiaodu.supervision.instructions import views

urlpatterns = [
    path("instructions/", views.instruction_list, name="instructions"),
    path("instructions/inbox/", views.instruction_inbox, name="instruction_inbox"),
    path("instructions/new/", views.instruction_create, name="instruction_create"),
    path("instructions/<int:pk>/", views.instruction_detail, name="instruction"),
    path("instructions/<int:pk>/answer/", views.instruction_answer, name="instruction_answer"),
    path("instructions/<int:pk>/close/", views.instruction_close, name="instruction_close"),
    path(
        "instructions/<int:pk>/send-back/",
        views.instruction_send_back,
        name="instruction_send_back",
    ),
]

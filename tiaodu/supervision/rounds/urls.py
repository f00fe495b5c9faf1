"""The field-round pages, under the supervision namespace (`supervision:round` …)."""

from django.urls import path

from tiaodu.supervision.rounds import views, visit_views

urlpatterns = [
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/status/", views.round_move, name="round_move"),
    path("rounds/<int:pk>/groups/", views.group_add, name="group_add"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/<int:pk>/remove/", views.group_remove, name="group_remove"),
    path("groups/<int:pk>/members/", views.member_add, name="member_add"),
    path("groups/<int:pk>/projects/", views.assign_projects, name="assign_projects"),
    path("groups/<int:pk>/region/", views.assign_region, name="assign_region"),
    path("members/<int:pk>/leader/", views.member_leader, name="member_leader"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("assignments/<int:pk>/remove/", views.unassign, name="unassign"),
    path("assignments/<int:pk>/visit/", visit_views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit"),
    path("visits/<int:pk>/edit/", visit_views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/photos/", visit_views.photos_add, name="visit_photos"),
    path("visits/<int:pk>/findings/", visit_views.finding_add, name="finding_add"),
    path("visit-photos/<int:pk>/", visit_views.photo_file, name="visit_photo"),
    path("visit-photos/<int:pk>/thumbnail/", visit_views.photo_thumbnail, name="visit_thumbnail"),
    path("visit-photos/<int:pk>/remove/", visit_views.photo_remove, name="visit_photo_remove"),
    path("findings/<int:pk>/remove/", visit_views.finding_remove, name="finding_remove"),
    path("findings/<int:pk>/raise/", visit_views.finding_raise, name="finding_raise"),
]

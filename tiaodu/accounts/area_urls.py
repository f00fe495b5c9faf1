"""The administration area (/administration/): org units, users and roles, what each role
may do, and the security administrator's pages (docs/administration.md)."""

from django.urls import path

from tiaodu.accounts import (
    account_import_views,
    matrix_views,
    request_views,
    second_factor_views,
    security_views,
    unit_views,
    user_views,
)

app_name = "administration"
urlpatterns = [
    path("", matrix_views.index, name="index"),
    path("units/", unit_views.units, name="units"),
    path("units/<int:pk>/children/", unit_views.children, name="unit_children"),
    path("units/<int:pk>/add/", unit_views.add_child, name="unit_add"),
    path("units/<int:pk>/edit/", unit_views.edit, name="unit_edit"),
    path("units/<int:pk>/move/", unit_views.move, name="unit_move"),
    path("units/<int:pk>/move-targets/", unit_views.move_targets, name="unit_move_targets"),
    path("users/", user_views.user_list, name="users"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/<int:pk>/", user_views.user_detail, name="user"),
    path("users/<int:pk>/profile/", user_views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", user_views.user_active, name="user_active"),
    path("users/<int:pk>/username/", user_views.user_username, name="user_username"),
    path("users/<int:pk>/password/", user_views.user_password, name="user_password"),
    path("users/<int:pk>/roles/", user_views.role_assign, name="role_assign"),
    path(
        "users/<int:pk>/two-factor/reset/",
        second_factor_views.reset,
        name="second_factor_reset",
    ),
    path("users/<int:pk>/roles/<int:role_pk>/remove/", user_views.role_remove, name="role_remove"),
    path("import/", account_import_views.upload, name="import"),
    path("import/template/", account_import_views.template, name="import_template"),
    path("import/<int:pk>/", account_import_views.detail, name="import_detail"),
    path("import/<int:pk>/apply/", account_import_views.apply, name="import_apply"),
    path("import/<int:pk>/discard/", account_import_views.discard, name="import_discard"),
    path("import/<int:pk>/passwords/", account_import_views.passwords, name="import_passwords"),
    path("roles/", matrix_views.role_matrix, name="roles"),
    path("policy/", security_views.security_policy, name="policy"),
    path("sessions/", security_views.session_list, name="sessions"),
    path("sessions/<int:pk>/end/", security_views.session_end, name="session_end"),
    path("tokens/", security_views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", security_views.token_revoke, name="token_revoke"),
    path("requests/", request_views.request_list, name="requests"),
    path("requests/<int:pk>/confirm/", request_views.request_confirm, name="request_confirm"),
    path("requests/<int:pk>/refuse/", request_views.request_refuse, name="request_refuse"),
]

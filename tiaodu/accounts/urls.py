from django.urls import path

from tiaodu.accounts import display_views, second_factor_views, token_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", second_factor_views.second_step, name="second_step"),
    path("logout/", views.logout_view, name="logout"),
    path("two-factor/", second_factor_views.two_factor, name="two_factor"),
    path("password/", views.password_change, name="password_change"),
    path("tokens/", token_views.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", token_views.revoke_token, name="revoke_token"),
    path("locks/", views.locks, name="locks"),
    path("locks/<int:pk>/unlock/", views.unlock_account, name="unlock"),
    path("displays/", display_views.display_list, name="displays"),
    path("displays/<int:pk>/link/", display_views.new_link, name="display_link"),
    path("displays/<int:pk>/revoke/", display_views.revoke, name="display_revoke"),
]

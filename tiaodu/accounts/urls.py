from django.urls import path

from tiaodu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("locks/", views.locks, name="locks"),
    path("locks/<int:pk>/unlock/", views.unlock_account, name="unlock"),
]

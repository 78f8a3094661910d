from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/code/", views.verify, name="verify"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("security/", views.security, name="security"),
    path("security/two-factor/", views.two_factor_setup, name="two-factor-setup"),
    path("security/two-factor/remove/", views.two_factor_remove, name="two-factor-remove"),
]

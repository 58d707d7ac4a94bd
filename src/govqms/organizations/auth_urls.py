"""Sign-in, sign-out, passwords and two-factor, under /accounts/."""

from django.urls import path

from . import auth_views

urlpatterns = [
    path("login/", auth_views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.SignOutView.as_view(), name="logout"),
    path("2fa/", auth_views.TwoFactorView.as_view(), name="two_factor"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

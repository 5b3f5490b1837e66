"""Auth routes under /api/v1/: register, login, refresh, logout (one token or everywhere),
password change and reset, email verification, sign-in with Google or Kakao, and the
signed-in user."""

from django.urls import re_path

from accounts import api as auth_api
from accounts import social_api

urlpatterns = [
    re_path(r"^auth/register/?$", auth_api.RegisterView.as_view(), name="auth-register"),
    re_path(r"^auth/login/?$", auth_api.LoginView.as_view(), name="auth-login"),
    re_path(r"^auth/refresh/?$", auth_api.RefreshView.as_view(), name="auth-refresh"),
    re_path(r"^auth/logout/?$", auth_api.LogoutView.as_view(), name="auth-logout"),
    re_path(
        r"^auth/logout/all/?$", auth_api.LogoutEverywhereView.as_view(), name="auth-logout-all"
    ),
    re_path(
        r"^auth/password/change/?$",
        auth_api.PasswordChangeView.as_view(),
        name="auth-password-change",
    ),
    re_path(
        r"^auth/password/reset/?$", auth_api.PasswordResetView.as_view(), name="auth-password-reset"
    ),
    re_path(
        r"^auth/password/reset/confirm/?$",
        auth_api.PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    re_path(r"^auth/email/verify/?$", auth_api.EmailVerifyView.as_view(), name="auth-email-verify"),
    re_path(
        r"^auth/email/verify/confirm/?$",
        auth_api.EmailVerifyConfirmView.as_view(),
        name="auth-email-verify-confirm",
    ),
    re_path(
        r"^auth/social/start/?$", social_api.SocialStartView.as_view(), name="auth-social-start"
    ),
    re_path(
        r"^auth/social/complete/?$",
        social_api.SocialCompleteView.as_view(),
        name="auth-social-complete",
    ),
    re_path(r"^users/me/?$", auth_api.MeView.as_view(), name="users-me"),
    re_path(
        r"^users/me/webhook-secret/?$",
        auth_api.WebhookSecretView.as_view(),
        name="users-me-webhook-secret",
    ),
]

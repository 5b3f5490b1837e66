"""Auth over the API: register with email and password, JWT login, refresh with rotation,
logout (the refresh token is blacklisted), and the signed-in user at /users/me.

The email is the username (Django's default User model)."""

from __future__ import annotations

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import update_last_login
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenRefreshView

from accounts import services
from accounts.serializers import (
    LinkInput,
    LoginInput,
    LogoutInput,
    PasswordChangeInput,
    PasswordResetConfirmInput,
    PasswordResetInput,
    RegisterInput,
    SafeTokenRefreshSerializer,
    TokenPairSerializer,
    UserSerializer,
    UserUpdateInput,
    WebhookSecretSerializer,
    WebhookSecretStateSerializer,
)
from billing import services as billing_services
from jobs import webhook_secrets
from reelmaker.error_schema import error_responses
from reelmaker.errors import (
    AUTHENTICATE_HEADER,
    EmailTaken,
    InvalidRequest,
    Unauthorized,
)
from reelmaker.throttles import LoginIPThrottle, LoginUserThrottle

User = get_user_model()


# ---------------------------------------------------------------- services


def register_user(*, email: str, password: str):
    """A new active user whose username is the email (lowercased), on the free plan. Raises
    EmailTaken (409) when another request took the email first."""
    email = email.strip().lower()
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=email, email=email, password=password)
    except IntegrityError:  # the unique username: a concurrent register won
        raise EmailTaken() from None
    billing_services.subscription_for(user=user)
    return user


def login_user(*, request, email: str, password: str) -> dict:
    """A fresh token pair. Raises Unauthorized (401) for a wrong email or password."""
    email = email.strip().lower()
    username = (
        User.objects.filter(email__iexact=email).values_list("username", flat=True).first() or email
    )
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise Unauthorized(_("The email or password is wrong."))
    refresh = RefreshToken.for_user(user)
    update_last_login(type(user), user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def logout_user(*, refresh: str) -> None:
    """Blacklist the refresh token: it cannot make access tokens any more."""
    try:
        # simplejwt annotates its argument as a Token; it takes the encoded token (a str).
        RefreshToken(refresh).blacklist()  # type: ignore[arg-type]
    except TokenError:
        raise Unauthorized(_("The refresh token is invalid or expired.")) from None


def update_user(*, user, password: str = "", **changes):
    """Change the name or email. A new email needs the current password (InvalidRequest)
    and is unverified until confirmed; EmailTaken (409) when another account took it first."""
    if "email" in changes:
        email = changes["email"].strip().lower()
        changes["email"], changes["username"] = email, email
    fields = [name for name, value in changes.items() if getattr(user, name) != value]
    if "email" in fields and not user.check_password(password):
        raise InvalidRequest(
            _("Some fields are invalid."),
            details={"fields": {"password": [_("Send your current password to change email.")]}},
        )
    for name in fields:
        setattr(user, name, changes[name])
    if fields:
        try:
            with transaction.atomic():
                user.save(update_fields=fields)
        except IntegrityError:  # the unique username: a concurrent change or register won
            raise EmailTaken() from None
    return user


# ---------------------------------------------------------------- shapes


# ---------------------------------------------------------------- views


class _TokenView(APIView):
    """Token endpoints take credentials in the body, not in an Authorization header."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    def get_authenticate_header(self, request) -> str:
        return AUTHENTICATE_HEADER


class RegisterView(_TokenView):
    throttle_classes = [AnonRateThrottle, LoginIPThrottle]

    @extend_schema(
        summary="Create an account with email and password",
        request=RegisterInput,
        responses={201: UserSerializer, **error_responses(400)},
        auth=[],
    )
    def post(self, request):
        data = RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = register_user(**data.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginView(_TokenView):
    throttle_classes = [LoginIPThrottle, LoginUserThrottle]

    @extend_schema(
        summary="Log in: a JWT access and refresh token",
        description="Throttled per client address and per email: 429 RATE_LIMIT_EXCEEDED "
        "with a Retry-After header.",
        request=LoginInput,
        responses={200: TokenPairSerializer, **error_responses(400)},
        auth=[],
    )
    def post(self, request):
        data = LoginInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(login_user(request=request, **data.validated_data))


class RefreshView(TokenRefreshView):
    """A new access token and a new refresh token; the old refresh token is blacklisted.
    Open to anyone, like every simplejwt view: the refresh token in the body is the key."""

    serializer_class = SafeTokenRefreshSerializer

    def get_authenticate_header(self, request) -> str:
        return AUTHENTICATE_HEADER

    @extend_schema(
        summary="Trade a refresh token for a new pair (rotation; the old one is blacklisted)",
        request=TokenRefreshSerializer,
        responses={200: TokenPairSerializer, **error_responses(400)},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class LogoutView(_TokenView):
    @extend_schema(
        summary="Log out: the refresh token is blacklisted",
        request=LogoutInput,
        responses={204: None, **error_responses(400)},
        auth=[],
    )
    def post(self, request):
        data = LogoutInput(data=request.data)
        data.is_valid(raise_exception=True)
        logout_user(**data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(generics.GenericAPIView):
    serializer_class = UserSerializer

    @extend_schema(
        summary="The signed-in user", responses={200: UserSerializer, **error_responses()}
    )
    def get(self, request):
        return Response(UserSerializer(request.user).data)

    @extend_schema(
        summary="Edit your email or name",
        request=UserUpdateInput,
        responses={200: UserSerializer, **error_responses(400)},
    )
    def patch(self, request):
        data = UserUpdateInput(data=request.data, context={"user": request.user})
        data.is_valid(raise_exception=True)
        user = update_user(user=request.user, **data.validated_data)
        return Response(UserSerializer(user).data)


class WebhookSecretView(APIView):
    """Your own webhook signing secret: create or rotate it (POST; the answer is the only time
    it is shown), see whether one is set (GET) or drop it (DELETE)."""

    @extend_schema(
        summary="Create or rotate your webhook signing secret",
        request=None,
        responses={201: WebhookSecretSerializer, **error_responses()},
    )
    def post(self, request):
        row = webhook_secrets.rotate_webhook_secret(user=request.user)
        body = WebhookSecretSerializer({"secret": row.secret, "created_at": row.updated_at}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Whether you have your own webhook signing secret",
        responses={200: WebhookSecretStateSerializer, **error_responses()},
    )
    def get(self, request):
        row = getattr(request.user, "webhook_secret", None)
        state = {"is_set": row is not None, "created_at": row.updated_at if row else None}
        return Response(WebhookSecretStateSerializer(state).data)

    @extend_schema(
        summary="Drop your webhook signing secret", responses={204: None, **error_responses()}
    )
    def delete(self, request):
        webhook_secrets.delete_webhook_secret(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutEverywhereView(APIView):
    @extend_schema(
        summary="Log out everywhere: every refresh token of yours is blacklisted",
        description="Access tokens already issued stay valid until they expire "
        "(JWT_ACCESS_MINUTES).",
        request=None,
        responses={204: None, **error_responses()},
    )
    def post(self, request):
        services.logout_everywhere(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(APIView):
    throttle_classes = [LoginUserThrottle, LoginIPThrottle]

    @extend_schema(
        summary="Change your password (the current one is needed)",
        description="Every other session is logged out; the answer is a fresh token pair.",
        request=PasswordChangeInput,
        responses={200: TokenPairSerializer, **error_responses(400)},
    )
    def post(self, request):
        data = PasswordChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(services.change_password(user=request.user, **data.validated_data))


class PasswordResetView(_TokenView):
    throttle_classes = [LoginIPThrottle, LoginUserThrottle]

    @extend_schema(
        summary="Mail a password reset link",
        description="Always 202, whether or not an account has this email.",
        request=PasswordResetInput,
        responses={202: None, **error_responses(400)},
        auth=[],
    )
    def post(self, request):
        data = PasswordResetInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_password_reset(**data.validated_data)
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(_TokenView):
    throttle_classes = [LoginIPThrottle]

    @extend_schema(
        summary="Set a new password from the reset link's uid and token",
        description="Every session of the account is logged out.",
        request=PasswordResetConfirmInput,
        responses={204: None, **error_responses(400)},
        auth=[],
    )
    def post(self, request):
        data = PasswordResetConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.confirm_password_reset(**data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EmailVerifyView(APIView):
    @extend_schema(
        summary="Mail a link that verifies your current email",
        description="202 when a mail was sent, 200 when the email is already verified.",
        request=None,
        responses={200: None, 202: None, **error_responses()},
    )
    def post(self, request):
        sent = services.request_email_verification(user=request.user)
        return Response(status=status.HTTP_202_ACCEPTED if sent else status.HTTP_200_OK)


class EmailVerifyConfirmView(_TokenView):
    throttle_classes = [LoginIPThrottle]

    @extend_schema(
        summary="Verify an email from the link's uid and token",
        request=LinkInput,
        responses={200: UserSerializer, **error_responses(400)},
        auth=[],
    )
    def post(self, request):
        data = LinkInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.confirm_email_verification(**data.validated_data)
        return Response(UserSerializer(user).data)

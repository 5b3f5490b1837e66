"""Shapes of accounts in the API: the user, sign-up and sign-in input, tokens, secrets."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework_simplejwt.serializers import TokenRefreshSerializer

from accounts import services
from billing.serializers import PlanSerializer, UsageSerializer
from billing.usage import usage_summary

User = get_user_model()


class UserSerializer(serializers.ModelSerializer):
    email_verified = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField(help_text="the plan that applies now")
    quota = serializers.SerializerMethodField(help_text="this month's usage and what is left")

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "email_verified",
            "first_name",
            "last_name",
            "date_joined",
            "last_login",
            "plan",
            "quota",
        ]
        read_only_fields = ["id", "date_joined", "last_login"]

    def get_email_verified(self, user) -> bool:
        return services.is_email_verified(user)

    def _usage(self, user) -> dict:
        cached = getattr(self, "_usage_cache", None)
        if cached is None or cached[0] != user.pk:
            cached = (user.pk, usage_summary(user=user))
            self._usage_cache = cached
        return cached[1]

    @extend_schema_field(PlanSerializer)
    def get_plan(self, user) -> dict:
        return PlanSerializer(self._usage(user)["plan"]).data

    @extend_schema_field(UsageSerializer)
    def get_quota(self, user) -> dict:
        return UsageSerializer(self._usage(user)).data


class UserUpdateInput(serializers.Serializer):
    email = serializers.EmailField(max_length=150, required=False)
    password = serializers.CharField(
        max_length=128,
        required=False,
        write_only=True,
        trim_whitespace=False,
        help_text="Your current password: needed to change the email.",
    )
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)

    def validate_email(self, value: str) -> str:
        if services.email_taken(value, exclude_pk=self.context["user"].pk):
            raise serializers.ValidationError(_("A user with this email already exists."))
        return value


class RegisterInput(serializers.Serializer):
    email = serializers.EmailField(max_length=150)
    password = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )

    def validate_email(self, value: str) -> str:
        if services.email_taken(value):
            raise serializers.ValidationError(_("A user with this email already exists."))
        return value

    def validate(self, attrs: dict) -> dict:
        email = attrs["email"].strip().lower()
        candidate = User(username=email, email=email)
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from None
        return attrs


class LoginInput(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class LogoutInput(serializers.Serializer):
    refresh = serializers.CharField(max_length=2000)


class SafeTokenRefreshSerializer(TokenRefreshSerializer):
    """simplejwt's refresh, but a token whose user was deleted is a 401, not a 500."""

    def validate(self, attrs: dict) -> dict:
        try:
            return super().validate(attrs)
        except User.DoesNotExist:
            raise exceptions.AuthenticationFailed(
                _("No active account found for the given token."), "no_active_account"
            ) from None


def _password_field(**kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=128, write_only=True, trim_whitespace=False, **kwargs)


class PasswordChangeInput(serializers.Serializer):
    old_password = _password_field()
    new_password = _password_field()


class PasswordResetInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class LinkInput(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)


class PasswordResetConfirmInput(LinkInput):
    new_password = _password_field()


class WebhookSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="shown only in the answer that created it")
    created_at = serializers.DateTimeField()


class WebhookSecretStateSerializer(serializers.Serializer):
    is_set = serializers.BooleanField(help_text="false: the deployment's shared secret signs")
    created_at = serializers.DateTimeField(allow_null=True)

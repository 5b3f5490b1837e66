"""Sign in with Google or Kakao over the API: `start` answers the provider's consent URL; the
page the provider sends the user back to posts the code and state to `complete`, which answers
a JWT pair (with an access token in the Authorization header, the identity is added to that
account instead)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import social
from accounts.models import SocialIdentity
from accounts.serializers import TokenPairSerializer
from reelmaker.error_schema import error_responses
from reelmaker.throttles import LoginIPThrottle


class SocialStartInput(serializers.Serializer):
    provider = serializers.ChoiceField(choices=SocialIdentity.Provider.choices)


class SocialStartOutput(serializers.Serializer):
    authorization_url = serializers.URLField()


class SocialCompleteInput(serializers.Serializer):
    provider = serializers.ChoiceField(choices=SocialIdentity.Provider.choices)
    code = serializers.CharField(max_length=2000)
    state = serializers.CharField(max_length=200)


class SocialTokenPairSerializer(TokenPairSerializer):
    created = serializers.BooleanField(help_text="true when this sign-in made a new account")


class SocialStartView(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = [LoginIPThrottle]

    @extend_schema(
        summary="Start signing in with Google or Kakao",
        request=SocialStartInput,
        responses={200: SocialStartOutput, **error_responses(400)},
        description="400 NOT_CONFIGURED names the settings the provider lacks.",
        tags=["auth"],
        auth=[],
    )
    def post(self, request):
        data = SocialStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        url = social.start_social_sign_in(**data.validated_data)
        return Response({"authorization_url": url})


class SocialCompleteView(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = [LoginIPThrottle]

    @extend_schema(
        summary="Finish signing in with Google or Kakao: a JWT access and refresh token",
        request=SocialCompleteInput,
        responses={200: SocialTokenPairSerializer, **error_responses(400, 401, 409, 502)},
        description="An account with the provider's verified email is joined; otherwise one "
        "is made. Signed in already, the identity is added to your account (409 EMAIL_TAKEN "
        "when it belongs to another). Google's ID token is verified (signature against its "
        "JWKS, issuer, audience, expiry, nonce): 400 ID_TOKEN_INVALID with details.reason "
        "when a check fails.",
        tags=["auth"],
    )
    def post(self, request):
        data = SocialCompleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user if request.user.is_authenticated else None
        pair = social.complete_social_sign_in(user=user, **data.validated_data)
        return Response(pair)

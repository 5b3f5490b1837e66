"""Media over HTTP: uploads of images, clips and music (checked by content, size-limited)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import parsers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from media import downloads as media
from media.models import Asset
from reelmaker.idempotency import SCHEMA_PARAMETER, idempotent
from stories.models import Story

_ERROR = OpenApiResponse(description='{"error": {"code", "message", "details"}}')


class UploadInput(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False, use_url=False)
    kind = serializers.ChoiceField(
        choices=sorted(media.UPLOAD_KINDS),
        required=False,
        help_text="what the file must be; left out, whatever its content is (image, clip or music)",
    )
    story = serializers.PrimaryKeyRelatedField(
        queryset=Story.objects.none(), required=False, help_text="attach to this story of yours"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # absent when the schema is generated
        if request is not None:
            self.fields["story"].queryset = Story.objects.filter(owner=request.user)


class UploadedAssetSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="signed download URL; it expires")

    class Meta:
        model = Asset
        fields = [
            "id",
            "kind",
            "story",
            "mime_type",
            "bytes",
            "width",
            "height",
            "duration_ms",
            "sha256",
            "url",
            "created_at",
        ]
        read_only_fields = fields

    def get_url(self, asset: Asset) -> str | None:
        return media.signed_media_url(asset, self.context.get("request"))


class MediaUploadView(APIView):
    """Upload an image, clip or music file (multipart field `file`). The content decides what
    it is, whatever its name; files over UPLOAD_MAX_BYTES are refused while they stream in."""

    parser_classes = [parsers.MultiPartParser]

    def initialize_request(self, request, *args, **kwargs):
        # Before anything reads the body (CSRF checks read request.POST): count every byte.
        self.size_limit = media.SizeLimitUploadHandler(request)
        request.upload_handlers.insert(0, self.size_limit)
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": UploadInput},
        parameters=[SCHEMA_PARAMETER],
        responses={201: UploadedAssetSerializer, 400: _ERROR, 409: _ERROR, 413: _ERROR},
    )
    @idempotent
    def post(self, request):
        data = request.data
        if self.size_limit.exceeded:
            raise media.UploadTooLarge(details={"max_bytes": settings.UPLOAD_MAX_BYTES})
        query = UploadInput(data=data, context={"request": request})
        query.is_valid(raise_exception=True)
        asset = media.store_upload(
            owner=request.user,
            uploaded=query.validated_data["file"],
            story=query.validated_data.get("story"),
            kind=query.validated_data.get("kind"),
        )
        return Response(
            UploadedAssetSerializer(asset, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

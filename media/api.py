"""Media over HTTP: uploads of images, clips and music (checked by content, size-limited)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import parsers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from media import services
from media.downloads import signed_media_url
from media.models import Asset
from media.serializers import QCReportSerializer, qc_report
from reelmaker.error_schema import error_responses
from reelmaker.idempotency import SCHEMA_PARAMETER, idempotent
from stories.models import Story


@extend_schema_field(OpenApiTypes.INT)
class OwnStoryField(serializers.PrimaryKeyRelatedField):
    """A story of the requesting user's: another's is "does not exist", like a missing one."""

    def get_queryset(self):
        request = self.context.get("request")  # absent when the schema is generated
        if request is None:
            return Story.objects.none()
        return Story.objects.filter(owner=request.user, deleted_at__isnull=True)


class UploadInput(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False, use_url=False)
    kind = serializers.ChoiceField(
        choices=services.UPLOAD_KIND_NAMES,
        required=False,
        help_text="what the file must be; left out, whatever its content is (image, clip or music)",
    )
    story = OwnStoryField(required=False, help_text="attach to this story of yours")


class UploadedAssetSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="signed download URL; it expires")
    qc = serializers.SerializerMethodField(help_text="a rendered reel's media QC report")

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
            "qc",
            "created_at",
        ]
        read_only_fields = fields

    def get_url(self, asset: Asset) -> str | None:
        return signed_media_url(asset, self.context.get("request"))

    @extend_schema_field(QCReportSerializer(allow_null=True))
    def get_qc(self, asset: Asset) -> dict | None:
        return qc_report(asset)


class SizeLimitUploadHandler(FileUploadHandler):
    """Counts an upload's bytes as they arrive and stops reading past UPLOAD_MAX_BYTES, so an
    oversized file is refused without being written out in full. Goes first in the chain."""

    def __init__(self, request=None, max_bytes: int | None = None):
        super().__init__(request)
        self.max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
        self.received = 0
        self.exceeded = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # The whole body (file plus a little multipart framing) says it is too big: stop at
        # the first chunk instead of reading it.
        if content_length and content_length > self.max_bytes + 64 * 1024:
            self.exceeded = True

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.exceeded or self.received > self.max_bytes:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


class MediaUploadView(APIView):
    """Upload an image, clip or music file (multipart field `file`). The content decides what
    it is, whatever its name; files over UPLOAD_MAX_BYTES are refused while they stream in."""

    parser_classes = [parsers.MultiPartParser]

    def initialize_request(self, request, *args, **kwargs):
        # Before anything reads the body (CSRF checks read request.POST): count every byte.
        self.size_limit = SizeLimitUploadHandler(request)
        request.upload_handlers.insert(0, self.size_limit)
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        operation_id="uploads_create",
        summary="Upload an image, clip or music file",
        request={"multipart/form-data": UploadInput},
        parameters=[SCHEMA_PARAMETER],
        responses={201: UploadedAssetSerializer, **error_responses(400, 409, 413)},
    )
    @idempotent
    def post(self, request):
        data = request.data
        if self.size_limit.exceeded:
            raise services.UploadTooLarge(details={"max_bytes": settings.UPLOAD_MAX_BYTES})
        query = UploadInput(data=data, context={"request": request})
        query.is_valid(raise_exception=True)
        kind = query.validated_data.get("kind")
        asset = services.store_upload(
            owner=request.user,
            file=query.validated_data["file"],
            story=query.validated_data.get("story"),
            expect=(kind,) if kind else (),
        )
        return Response(
            UploadedAssetSerializer(asset, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

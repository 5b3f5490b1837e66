"""Jobs over HTTP: list and detail (owner-scoped), retry, cancel, statistics. A story's events
are in jobs/events_api.py."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import MayStartWork
from jobs import pipeline, selectors
from jobs.models import Job
from jobs.serializers import JobSerializer, JobStatisticsSerializer
from reelmaker.error_schema import error_responses
from reelmaker.errors import DomainError, JobNotRetryable
from reelmaker.pagination import PageNumberPagination


class JobNotCancelable(DomainError):
    code = "ILLEGAL_TRANSITION"
    http_status = status.HTTP_409_CONFLICT
    default_message = _("Only queued or running jobs can be canceled.")


class JobFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Job.Status.choices)
    kind = filters.MultipleChoiceFilter(choices=Job.Kind.choices)
    story = filters.NumberFilter(field_name="story_id")

    class Meta:
        model = Job
        fields = ["status", "kind", "story"]


@extend_schema_view(
    list=extend_schema(
        summary="Your jobs, filtered by status, kind or story, newest first",
        responses={200: JobSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        summary="One job", responses={200: JobSerializer, **error_responses(404)}
    ),
)
class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """The jobs of your stories. Another user's job is 404."""

    queryset = Job.objects.none()  # for the schema; requests use get_queryset
    serializer_class = JobSerializer
    filterset_class = JobFilter
    pagination_class = PageNumberPagination
    lookup_url_kwarg = "job_id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Job.objects.none()
        return selectors.jobs_for(user=self.request.user)

    @extend_schema(
        summary="Retry a failed or canceled job",
        request=None,
        responses={202: JobSerializer, **error_responses(403, 404, 409)},
        description="Queue a failed or canceled job again; a FAILED story returns to the step "
        "that failed. 409 ILLEGAL_TRANSITION for any other job.",
    )
    @action(detail=True, methods=["post"], permission_classes=[MayStartWork])
    def retry(self, request, job_id=None):
        job = self.get_object()
        if not pipeline.retry_jobs(job_ids=[job.pk], by=request.user):
            raise JobNotRetryable(
                _("Only failed or canceled jobs can be retried."),
                details={"status": job.status, "allowed": [Job.Status.FAILED, Job.Status.CANCELED]},
            )
        job.refresh_from_db()
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Cancel a queued or running job",
        request=None,
        responses={200: JobSerializer, **error_responses(404, 409)},
        description="Cancel a queued or running job: its task is revoked and a running render "
        "is stopped without keeping partial output. 409 ILLEGAL_TRANSITION for a finished job.",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, job_id=None):
        job = self.get_object()
        if not pipeline.cancel_jobs(job_ids=[job.pk], by=request.user):
            raise JobNotCancelable(
                details={"status": job.status, "allowed": [Job.Status.QUEUED, Job.Status.RUNNING]}
            )
        job.refresh_from_db()
        return Response(self.get_serializer(job).data)

    @extend_schema(
        summary="Your jobs in numbers: by status and kind, durations, top failures",
        responses={200: JobStatisticsSerializer, **error_responses(400)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def statistics(self, request):
        jobs = self.filter_queryset(self.get_queryset())
        return Response(selectors.job_statistics(jobs=jobs))

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jobs import pipeline
from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "story",
        "kind",
        "profile",
        "scene",
        "status",
        "attempts",
        "progress",
        "provider",
        "error_code",
        "created_at",
    )
    list_filter = ("status", "kind", "profile", "created_at")
    list_select_related = ("story", "scene")
    # error_detail finds a job by the reference id a user quotes ("ref 3f2a...").
    search_fields = (
        "story__title",
        "story__keyword",
        "error_message",
        "error_detail",
        "celery_task_id",
    )
    raw_id_fields = ("story", "scene", "output")
    readonly_fields = (
        "status",
        "attempts",
        "celery_task_id",
        "lease_owner",
        "lease_expires_at",
        "progress",
        "error_code",
        "error_message",
        "error_detail",
        "provider",
        "cost_usd",
        "started_at",
        "finished_at",
        "created_at",
        "updated_at",
    )
    actions = ["retry_failed_jobs", "cancel_selected_jobs"]

    @admin.action(description=_("Retry selected failed jobs"), permissions=["change"])
    def retry_failed_jobs(self, request, queryset):
        retried = pipeline.retry_jobs(
            job_ids=list(queryset.values_list("pk", flat=True)), by=request.user
        )
        self.message_user(request, _("%(n)d job(s) queued again.") % {"n": len(retried)})

    @admin.action(description=_("Cancel selected jobs"), permissions=["change"])
    def cancel_selected_jobs(self, request, queryset):
        canceled = pipeline.cancel_jobs(
            job_ids=list(queryset.values_list("pk", flat=True)), by=request.user
        )
        self.message_user(request, _("%(n)d job(s) canceled.") % {"n": len(canceled)})

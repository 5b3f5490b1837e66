"""LinkedAccount: a user's account on a platform, its tokens encrypted at rest.
Publication: one reel sent to one linked account by one `upload` job."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from provenance.models import Platform


class Privacy(models.TextChoices):
    PUBLIC = "public", _("Public")
    UNLISTED = "unlisted", _("Unlisted")
    PRIVATE = "private", _("Private")


class LinkedAccount(models.Model):
    """Tokens are Fernet tokens (publishing.crypto) under PUBLISH_TOKEN_KEYS: never shown back,
    never serialized; admin and the API see the account, not its keys."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        RECONNECT = "reconnect", _("Reconnect needed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="linked_accounts"
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    external_id = models.CharField(_("account id on the platform"), max_length=100)
    display_name = models.CharField(_("name"), max_length=200, blank=True)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    access_token_encrypted = models.TextField(editable=False)
    refresh_token_encrypted = models.TextField(blank=True, editable=False)
    expires_at = models.DateTimeField(_("token expires at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.CharField(_("why"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["platform", "created_at"]
        verbose_name = _("linked account")
        verbose_name_plural = _("linked accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "platform", "external_id"], name="linked_account_once_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.display_name or self.external_id}"


class Publication(models.Model):
    """A reel sent to one account. Its state is its job's (queued, running, ...) until the
    platform's post id comes back; `upload_state` keeps where a resumable upload got to."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PENDING = "pending", _("Pending")
        UPLOADING = "uploading", _("Uploading")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")
        CANCELED = "canceled", _("Canceled")

    story = models.ForeignKey(
        "stories.Story", on_delete=models.CASCADE, related_name="publications"
    )
    # Unlinking keeps the history: the platform and the post stay, the account goes.
    account = models.ForeignKey(
        LinkedAccount,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    job = models.OneToOneField(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="publication"
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    hashtags = models.JSONField(_("hashtags"), default=list, blank=True)
    privacy = models.CharField(
        _("privacy"), max_length=10, choices=Privacy.choices, default=Privacy.PUBLIC
    )
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    upload_state = models.JSONField(_("upload state"), default=dict, blank=True, editable=False)
    post_id = models.CharField(_("post id"), max_length=100, blank=True)
    post_url = models.URLField(_("post URL"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [models.Index(fields=["story", "platform"])]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} #{self.pk} of story {self.story_id}"

    @property
    def state(self) -> str:
        if self.post_id:
            return self.State.PUBLISHED
        job_status = self.job.status if self.job else "failed"
        if job_status == "queued":
            return self.State.SCHEDULED if self.scheduled_at else self.State.PENDING
        return {
            "running": self.State.UPLOADING,
            "succeeded": self.State.PUBLISHED,
            "canceled": self.State.CANCELED,
        }.get(job_status, self.State.FAILED)

    @property
    def error_message(self) -> str:
        return self.job.error_message if self.job and not self.post_id else ""

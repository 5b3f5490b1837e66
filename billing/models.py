from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

FINAL_RESOLUTIONS = [("720p", "720p"), ("1080p", "1080p")]


class Plan(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    monthly_price_usd = models.DecimalField(
        _("monthly price (USD)"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    reels_per_month = models.PositiveIntegerField(_("reels per month"), default=10)
    max_duration_s = models.PositiveSmallIntegerField(_("longest reel (s)"), default=60)
    monthly_budget_usd = models.DecimalField(
        _("monthly provider budget (USD)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("1.00"),
        help_text=_("What this plan's users may spend on provider calls in a calendar month."),
    )
    preview_watermark = models.BooleanField(_("watermark on previews"), default=True)
    final_watermark = models.BooleanField(_("watermark on final reels"), default=False)
    final_resolution = models.CharField(
        _("final resolution"),
        max_length=8,
        choices=FINAL_RESOLUTIONS,
        default="1080p",
    )
    stripe_price_id = models.CharField(
        _("Stripe price id"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("The recurring monthly Price this plan sells through (price_...)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["monthly_price_usd", "code"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        TRIALING = "trialing", _("Trialing")
        PAST_DUE = "past_due", _("Past due")
        CANCELED = "canceled", _("Canceled")
        INCOMPLETE = "incomplete", _("Incomplete")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    stripe_customer_id = models.CharField(max_length=100, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=100, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(_("cancels at period end"), default=False)
    grace_until = models.DateTimeField(
        _("grace until"),
        null=True,
        blank=True,
        help_text=_("After a failed payment the plan stays usable until then."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self) -> str:
        return f"{self.user} → {self.plan}"


class UsageRecord(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="usage_records"
    )
    story = models.ForeignKey(
        "stories.Story", null=True, blank=True, on_delete=models.SET_NULL, related_name="usage"
    )
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="usage"
    )
    provider = models.CharField(_("provider"), max_length=40)
    model = models.CharField(_("model"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=16)
    units = models.DecimalField(_("units"), max_digits=14, decimal_places=3)
    cost_usd = models.DecimalField(
        _("cost (USD)"), max_digits=12, decimal_places=6, default=Decimal("0")
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("usage record")
        verbose_name_plural = _("usage records")

    def __str__(self) -> str:
        return f"{self.provider} {self.units} {self.unit}"


class ReelUsage(models.Model):
    """The usage ledger, append-only: code never updates or deletes a row. Each row moves the
    owner's reels left (`reels`) and provider budget left (`budget_usd`) of a month by a signed
    amount: a final render RESERVES a reel and its estimated cost when it starts, CAPTURES when
    it completes (the hold ends; the real cost is in UsageRecord) and RELEASES when it fails or
    is canceled (the reel and what its provider calls cost come back). Staff GRANT extra reels
    or budget with a reason; PLAN rows note a change of plan."""

    class Kind(models.TextChoices):
        FINAL = "final", _("Reserved for a final render")
        CAPTURE = "capture", _("Final render completed")
        RELEASE = "release", _("Final render failed or canceled: given back")
        GRANT = "grant", _("Granted by staff")
        PLAN = "plan", _("Plan changed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reel_usage"
    )
    story = models.ForeignKey(
        "stories.Story",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reel_usage",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FINAL)
    period = models.DateField(_("month"), help_text=_("The first day of the month counted."))
    reels = models.SmallIntegerField(
        _("reels"), default=-1, help_text=_("Change to the reels left this month.")
    )
    budget_usd = models.DecimalField(
        _("budget (USD)"),
        max_digits=12,
        decimal_places=6,
        default=Decimal("0"),
        help_text=_("Change to the provider budget left this month."),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("usage ledger entry")
        verbose_name_plural = _("usage ledger")
        indexes = [
            models.Index(fields=["user", "kind", "period"]),
            models.Index(fields=["story", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.period:%Y-%m}"


class StripeEvent(models.Model):
    """A Stripe webhook event applied: its id is unique, so a redelivery is applied once."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class ProviderPrice(models.Model):
    """What one unit of a provider's work costs; operators change these in admin."""

    provider = models.CharField(_("provider"), max_length=40)
    model = models.CharField(
        _("model"),
        max_length=100,
        blank=True,
        help_text=_("Empty: any model of this provider that has no row of its own."),
    )
    unit = models.CharField(
        _("unit"),
        max_length=32,
        help_text=_("input_tokens, output_tokens, characters, images or seconds."),
    )
    usd_per_unit = models.DecimalField(_("USD per unit"), max_digits=16, decimal_places=10)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["provider", "model", "unit"]
        verbose_name = _("provider price")
        verbose_name_plural = _("provider prices")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "model", "unit"], name="provider_price_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(usd_per_unit__gte=0), name="provider_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.model or '*'} {self.unit}: {self.usd_per_unit}"

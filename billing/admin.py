from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import F, Sum, Window
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from billing import ledger
from billing.models import Plan, ProviderPrice, ReelUsage, StripeEvent, Subscription, UsageRecord


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "monthly_price_usd",
        "reels_per_month",
        "max_duration_s",
        "final_resolution",
        "monthly_budget_usd",
        "stripe_price_id",
        "is_active",
    )


class GrantForm(forms.Form):
    reels = forms.IntegerField(label=_("extra reels"), min_value=0, max_value=1000, initial=0)
    budget_usd = forms.DecimalField(
        label=_("extra provider budget (USD)"),
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        initial=Decimal("0"),
    )
    reason = forms.CharField(label=_("reason"), max_length=300)

    def clean(self):
        data = super().clean() or {}
        if not data.get("reels") and not data.get("budget_usd"):
            raise forms.ValidationError(_("Grant some reels or some budget."))
        return data


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "plan",
        "status",
        "cancel_at_period_end",
        "grace_until",
        "current_period_end",
        "ledger_link",
    )
    list_filter = ("status", "plan")
    raw_id_fields = ("user",)
    search_fields = ("user__email", "stripe_customer_id", "stripe_subscription_id")
    actions = ["grant_extra"]

    @admin.display(description=_("usage ledger"))
    def ledger_link(self, subscription: Subscription) -> str:
        url = reverse("admin:billing_reelusage_changelist")
        return format_html(
            '<a href="{}?user__id__exact={}">{}</a>', url, subscription.user_id, _("ledger")
        )

    @admin.action(description=_("Grant extra reels or budget this month"))
    def grant_extra(self, request, queryset):
        form = GrantForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for subscription in queryset.select_related("user"):
                ledger.grant(user=subscription.user, by=request.user, **form.cleaned_data)
            self.message_user(
                request,
                _("Granted to %(count)d users.") % {"count": queryset.count()},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Grant extra reels or budget"),
            "form": form,
            "subscriptions": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/billing/grant.html", context)


@admin.register(ReelUsage)
class ReelUsageAdmin(admin.ModelAdmin):
    """The usage ledger, read-only; pick a user (?user__id__exact=) to read their running
    balance: the reels and budget each month's rows have moved against the plan so far."""

    list_display = (
        "created_at",
        "user",
        "period",
        "kind",
        "story",
        "reels",
        "budget_usd",
        "reels_balance",
        "budget_balance",
        "reason",
        "created_by",
    )
    list_filter = ("period",)
    search_fields = ("user__email", "reason")
    raw_id_fields = ("user", "story", "created_by")

    def get_queryset(self, request):
        def running(field: str) -> Window:
            return Window(
                Sum(field), partition_by=[F("user_id"), F("period")], order_by=F("id").asc()
            )

        return (
            super()
            .get_queryset(request)
            .select_related("user", "story", "created_by")
            .annotate(running_reels=running("reels"), running_budget=running("budget_usd"))
        )

    @admin.display(description=_("reels vs plan"))
    def reels_balance(self, row) -> int:
        return row.running_reels

    @admin.display(description=_("budget vs plan (USD)"))
    def budget_balance(self, row) -> Decimal:
        return row.running_budget.quantize(Decimal("0.0001"))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ("received_at", "event_id", "type")
    search_fields = ("event_id", "type")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(UsageRecord)
class UsageRecordAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "user",
        "story",
        "job",
        "provider",
        "model",
        "units",
        "unit",
        "cost_usd",
    )
    list_filter = ("provider", "unit", "created_at")
    search_fields = ("provider", "model", "story__title")
    raw_id_fields = ("user", "story", "job")
    date_hierarchy = "created_at"


@admin.register(ProviderPrice)
class ProviderPriceAdmin(admin.ModelAdmin):
    list_display = ("provider", "model", "unit", "usd_per_unit", "note", "updated_at")
    list_editable = ("usd_per_unit",)
    list_filter = ("provider", "unit")
    search_fields = ("provider", "model", "note")

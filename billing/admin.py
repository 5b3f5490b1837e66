from django.contrib import admin

from billing.models import Plan, ProviderPrice, Subscription, UsageRecord


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "monthly_price_usd",
        "reels_per_month",
        "max_duration_s",
        "is_active",
    )


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "plan", "status", "current_period_end")
    list_filter = ("status", "plan")
    raw_id_fields = ("user",)


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

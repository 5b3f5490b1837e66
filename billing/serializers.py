"""Shapes of the billing API."""

from __future__ import annotations

from rest_framework import serializers

from billing.models import Plan, Subscription


class PlanSerializer(serializers.ModelSerializer):
    for_sale = serializers.SerializerMethodField(
        help_text="Whether Checkout can sell it (a paid plan with a Stripe Price)."
    )

    class Meta:
        model = Plan
        fields = [
            "code",
            "name",
            "monthly_price_usd",
            "reels_per_month",
            "max_duration_s",
            "final_resolution",
            "preview_watermark",
            "final_watermark",
            "monthly_budget_usd",
            "for_sale",
        ]
        read_only_fields = fields

    def get_for_sale(self, plan: Plan) -> bool:
        return plan.monthly_price_usd > 0 and bool(plan.stripe_price_id)


class UsageSerializer(serializers.Serializer):
    plan = PlanSerializer(help_text="the plan that applies now")
    status = serializers.ChoiceField(choices=Subscription.Status.choices)
    cancel_at_period_end = serializers.BooleanField()
    grace_until = serializers.DateTimeField(
        allow_null=True, help_text="after a failed payment, the paid plan applies until then"
    )
    paid_until = serializers.DateTimeField(allow_null=True)
    period_start = serializers.DateTimeField(help_text="quotas count per calendar month (UTC)")
    period_end = serializers.DateTimeField()
    reels_allowed = serializers.IntegerField(help_text="the plan's reels plus granted ones")
    reels_granted = serializers.IntegerField()
    reels_used = serializers.IntegerField(help_text="final renders made or running")
    reels_left = serializers.IntegerField()
    reels_made = serializers.IntegerField(help_text="final renders completed")
    minutes_made = serializers.FloatField()
    provider_cost_usd = serializers.DecimalField(max_digits=14, decimal_places=4)
    budget_usd = serializers.DecimalField(max_digits=12, decimal_places=2)
    budget_left_usd = serializers.DecimalField(max_digits=12, decimal_places=2)
    has_billing_account = serializers.BooleanField()


class CheckoutInput(serializers.Serializer):
    plan = serializers.SlugField(max_length=40, help_text="the code of a plan for sale")


class RedirectSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="send the browser here")


class WebhookResultSerializer(serializers.Serializer):
    received = serializers.BooleanField()
    duplicate = serializers.BooleanField()

"""Routes of this app under /api/v1/ (the trailing slash is optional)."""

from django.urls import re_path

from billing import api

urlpatterns = [
    re_path(r"^billing/plans/?$", api.PlansView.as_view(), name="billing-api-plans"),
    re_path(r"^billing/checkout/?$", api.CheckoutView.as_view(), name="billing-checkout"),
    re_path(r"^billing/portal/?$", api.PortalView.as_view(), name="billing-portal"),
    re_path(r"^billing/usage/?$", api.UsageView.as_view(), name="billing-usage"),
    re_path(
        r"^billing/stripe/webhook/?$",
        api.StripeWebhookView.as_view(),
        name="billing-stripe-webhook",
    ),
]

"""The billing API: plans (public), Checkout, the Customer Portal, this month's usage, and
Stripe's webhook."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from billing import checkout, stripe_events, usage
from billing.serializers import (
    CheckoutInput,
    PlanSerializer,
    RedirectSerializer,
    UsageSerializer,
    WebhookResultSerializer,
)
from reelmaker.error_schema import error_responses


class PlansView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Every plan with its price and quotas",
        responses={200: PlanSerializer(many=True)},
        auth=[],
    )
    def get(self, request):
        return Response(PlanSerializer(usage.plans_for_sale(), many=True).data)


class CheckoutView(APIView):
    @extend_schema(
        summary="Buy a plan: a Stripe Checkout Session (subscription mode) to send the user to",
        request=CheckoutInput,
        responses={201: RedirectSerializer, **error_responses(400, 409, 502, 503)},
    )
    def post(self, request):
        data = CheckoutInput(data=request.data)
        data.is_valid(raise_exception=True)
        session = checkout.start_checkout(user=request.user, plan_code=data.validated_data["plan"])
        return Response({"url": session["url"]}, status=status.HTTP_201_CREATED)


class PortalView(APIView):
    @extend_schema(
        summary="Manage your plan, card and invoices: a Stripe Customer Portal session",
        request=None,
        responses={201: RedirectSerializer, **error_responses(400, 502, 503)},
    )
    def post(self, request):
        return Response(checkout.open_portal(user=request.user), status=status.HTTP_201_CREATED)


class UsageView(APIView):
    @extend_schema(
        summary="This month: reels made and left, minutes, provider cost and budget left",
        responses={200: UsageSerializer},
    )
    def get(self, request):
        return Response(UsageSerializer(usage.usage_summary(user=request.user)).data)


class StripeWebhookView(APIView):
    """Stripe calls this; the Stripe-Signature header is the only credential."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(
        summary="Stripe's webhook (signed with STRIPE_WEBHOOK_SECRET)",
        request={"application/json": {"type": "object", "additionalProperties": {}}},
        responses={200: WebhookResultSerializer, **error_responses(400, 502, 503)},
        auth=[],
    )
    def post(self, request):
        applied = stripe_events.handle(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
        return Response({"received": True, "duplicate": not applied})

"""[billing] 2, 3, 6: plans, Checkout, the Portal and Stripe's webhook against a local Stripe
(localstripe extended in tests/billing/localstripe_shim.py), driven by the official SDK."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from billing import services as billing_services
from billing.models import ReelUsage, StripeEvent, Subscription
from tests.billing.stripe_server import post_event
from tests.factories import StoryFactory, UserFactory


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _deliver(stripe_server, events=None) -> list:
    """Hand Stripe's new events to the webhook, oldest first (or `events` as given)."""
    answers = []
    for event in stripe_server.new_events() if events is None else events:
        response = post_event(APIClient(), event)
        assert response.status_code == 200, response.json()
        answers.append(response.json())
    return answers


def _subscribe(stripe_server, user, plan="creator") -> Subscription:
    response = _client(user).post("/api/v1/billing/checkout/", {"plan": plan}, format="json")
    assert response.status_code == 201, response.json()
    session_id = response.json()["url"].rsplit("/", 1)[-1]
    stripe_server.pay_checkout(session_id)
    _deliver(stripe_server)
    return Subscription.objects.select_related("plan").get(user=user)


def _ledger(user) -> list[tuple[str, int, str]]:
    rows = ReelUsage.objects.filter(user=user).order_by("id")
    return list(rows.values_list("kind", "reels", "reason"))


@pytest.mark.django_db
def test_the_plans_are_public_cheapest_first(anon):
    response = anon.get("/api/v1/billing/plans/")

    assert response.status_code == 200
    plans = response.json()
    assert [plan["code"] for plan in plans] == ["free", "creator", "business"]
    creator = plans[1]
    assert (creator["monthly_price_usd"], creator["reels_per_month"]) == ("12.00", 30)
    assert (creator["max_duration_s"], creator["final_resolution"]) == (90, "1080p")
    assert creator["for_sale"] is False  # no Stripe Price configured in this test


@pytest.mark.slow
def test_checkout_then_webhook_makes_the_plan_active_and_raises_the_quota(local_stripe, user):
    stripe = local_stripe.client()
    response = _client(user).post("/api/v1/billing/checkout/", {"plan": "creator"}, format="json")

    assert response.status_code == 201, response.json()
    session = stripe.v1.checkout.sessions.retrieve(response.json()["url"].rsplit("/", 1)[-1])
    assert (session.mode, session.status, session.client_reference_id) == (
        "subscription",
        "open",
        str(user.pk),
    )
    customer = stripe.v1.customers.retrieve(session.customer)
    assert customer.metadata["reelmaker_user_id"] == str(user.pk)
    assert billing_services.subscription_for(user=user).plan.code == "free"  # not paid yet

    local_stripe.pay_checkout(session.id)
    answers = _deliver(local_stripe)

    assert answers and all(answer == {"received": True, "duplicate": False} for answer in answers)
    subscription = Subscription.objects.select_related("plan").get(user=user)
    assert (subscription.plan.code, subscription.status) == ("creator", "active")
    assert subscription.stripe_customer_id == customer.id
    assert subscription.stripe_subscription_id.startswith("sub_")
    usage = _client(user).get("/api/v1/billing/usage/").json()
    assert (usage["plan"]["code"], usage["reels_allowed"], usage["reels_left"]) == ("creator", 30, 30)
    assert usage["budget_usd"] == "15.00"
    me = _client(user).get("/api/v1/users/me").json()
    assert (me["plan"]["code"], me["quota"]["reels_left"]) == ("creator", 30)
    assert [(kind, reason.split(":")[0]) for kind, _, reason in _ledger(user)] == [
        ("plan", "free → creator")
    ]

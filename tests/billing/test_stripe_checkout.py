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


def test_the_plans_are_public_cheapest_first(anon, paid_plans):
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

    assert answers
    assert all(answer == {"received": True, "duplicate": False} for answer in answers)
    subscription = Subscription.objects.select_related("plan").get(user=user)
    assert (subscription.plan.code, subscription.status) == ("creator", "active")
    assert subscription.stripe_customer_id == customer.id
    assert subscription.stripe_subscription_id.startswith("sub_")
    usage = _client(user).get("/api/v1/billing/usage/").json()
    assert (usage["plan"]["code"], usage["reels_allowed"], usage["reels_left"]) == (
        "creator",
        30,
        30,
    )
    assert usage["budget_usd"] == "15.00"
    me = _client(user).get("/api/v1/users/me").json()
    assert (me["plan"]["code"], me["quota"]["reels_left"]) == ("creator", 30)
    assert [(kind, reason.split(":")[0]) for kind, _, reason in _ledger(user)] == [
        ("plan", "free → creator")
    ]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_upgrade_makes_one_stripe_customer(local_stripe):
    assert connection.vendor == "postgresql"
    user = UserFactory()
    billing_services.subscription_for(user=user)
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def click() -> None:
        barrier.wait()
        try:
            response = _client(user).post(
                "/api/v1/billing/checkout/", {"plan": "creator"}, format="json"
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [201] * 4
    customers = local_stripe.client().v1.customers.list(params={"limit": 100}).data
    assert len(customers) == 1
    assert Subscription.objects.get(user=user).stripe_customer_id == customers[0].id


@pytest.mark.slow
def test_a_customer_made_before_is_found_again_by_metadata_not_duplicated(local_stripe, user):
    stripe = local_stripe.client()
    earlier = stripe.v1.customers.create(
        params={"email": user.email, "metadata": {"reelmaker_user_id": str(user.pk)}}
    )
    stripe.v1.customers.create(params={"email": "someone@example.com"})
    billing_services.subscription_for(user=user)  # the stored id was lost: none here

    response = _client(user).post("/api/v1/billing/checkout/", {"plan": "business"}, format="json")

    assert response.status_code == 201
    assert Subscription.objects.get(user=user).stripe_customer_id == earlier.id
    assert len(stripe.v1.customers.list(params={"limit": 100}).data) == 2


@pytest.mark.slow
def test_cancel_at_period_end_keeps_the_plan_until_stripe_ends_it(local_stripe, user):
    subscription = _subscribe(local_stripe, user)
    stripe = local_stripe.client()

    stripe.v1.subscriptions.update(
        subscription.stripe_subscription_id, params={"cancel_at_period_end": True}
    )
    _deliver(local_stripe)
    still = Subscription.objects.select_related("plan").get(user=user)
    assert (still.plan.code, still.status, still.cancel_at_period_end) == (
        "creator",
        "active",
        True,
    )
    page = _client(user).get("/api/v1/billing/usage/").json()
    assert page["cancel_at_period_end"] is True

    local_stripe.end_period(subscription.stripe_subscription_id)
    _deliver(local_stripe)

    ended = Subscription.objects.select_related("plan").get(user=user)
    assert (ended.plan.code, ended.status, ended.stripe_subscription_id) == ("free", "active", "")
    assert [row[0] for row in _ledger(user)] == ["plan", "plan"]
    assert _ledger(user)[-1][2].startswith("creator → free")


@pytest.mark.slow
def test_a_failed_payment_gives_a_grace_period_then_the_free_plan(local_stripe, user, settings):
    settings.BILLING_GRACE_DAYS = 5
    subscription = _subscribe(local_stripe, user)
    long_story = StoryFactory(owner=user, duration_s=80)  # creator: 90 s, free: 60 s

    local_stripe.renewal(subscription.stripe_subscription_id, "failed")
    _deliver(local_stripe)

    past_due = Subscription.objects.select_related("plan").get(user=user)
    assert (past_due.plan.code, past_due.status) == ("creator", "past_due")
    grace_left = past_due.grace_until - timezone.now()
    assert datetime.timedelta(days=4, hours=23) < grace_left <= datetime.timedelta(days=5)
    billing_services.ensure_quota(user=user, step="plan", story=long_story)  # grace: allowed
    usage = _client(user).get("/api/v1/billing/usage/").json()
    assert usage["plan"]["code"] == "creator"
    assert usage["grace_until"] is not None

    Subscription.objects.filter(user=user).update(grace_until=timezone.now())  # grace is over
    with pytest.raises(billing_services.QuotaExceeded):
        billing_services.ensure_quota(user=user, step="plan", story=long_story)
    assert _client(user).get("/api/v1/billing/usage/").json()["plan"]["code"] == "free"

    local_stripe.renewal(subscription.stripe_subscription_id, "paid")
    _deliver(local_stripe)
    recovered = Subscription.objects.select_related("plan").get(user=user)
    assert (recovered.plan.code, recovered.status, recovered.grace_until) == (
        "creator",
        "active",
        None,
    )


@pytest.mark.slow
def test_a_redelivered_event_is_applied_once(local_stripe, user):
    response = _client(user).post("/api/v1/billing/checkout/", {"plan": "creator"}, format="json")
    local_stripe.pay_checkout(response.json()["url"].rsplit("/", 1)[-1])
    events = local_stripe.new_events()
    completed = next(e for e in events if e["type"] == "checkout.session.completed")

    first = post_event(APIClient(), completed)
    again = post_event(APIClient(), completed)

    assert first.json() == {"received": True, "duplicate": False}
    assert again.status_code == 200
    assert again.json() == {"received": True, "duplicate": True}
    assert StripeEvent.objects.filter(event_id=completed["id"]).count() == 1
    assert billing_services.subscription_for(user=user).plan.code == "creator"
    assert [row[0] for row in _ledger(user)] == ["plan"]


@pytest.mark.slow
def test_events_out_of_order_end_on_the_state_stripe_has(local_stripe, user):
    response = _client(user).post("/api/v1/billing/checkout/", {"plan": "creator"}, format="json")
    local_stripe.pay_checkout(response.json()["url"].rsplit("/", 1)[-1])
    stripe = local_stripe.client()
    sub_id = stripe.v1.subscriptions.list(params={"customer": _customer(user)}).data[0].id
    stripe.v1.subscriptions.cancel(sub_id)  # ended at once: Stripe says canceled
    events = local_stripe.new_events()
    kinds = [event["type"] for event in events]
    assert kinds.index("customer.subscription.created") < kinds.index(
        "customer.subscription.deleted"
    )

    _deliver(local_stripe, events=list(reversed(events)))  # "deleted" first, "created" last

    subscription = Subscription.objects.select_related("plan").get(user=user)
    assert (subscription.plan.code, subscription.stripe_subscription_id) == ("free", "")
    assert _ledger(user) == []  # never shown as creator on the way


def _customer(user) -> str:
    return Subscription.objects.get(user=user).stripe_customer_id


@pytest.mark.slow
@pytest.mark.parametrize("bad", ["wrong secret", "changed body", "too old", "no header"])
def test_a_bad_signature_is_400_and_changes_nothing(local_stripe, user, bad):
    response = _client(user).post("/api/v1/billing/checkout/", {"plan": "creator"}, format="json")
    local_stripe.pay_checkout(response.json()["url"].rsplit("/", 1)[-1])
    event = next(e for e in local_stripe.new_events() if e["type"] == "checkout.session.completed")
    client = APIClient()

    if bad == "wrong secret":
        answer = post_event(client, event, secret="whsec_someone_else")
    elif bad == "too old":
        answer = post_event(client, event, at=int(timezone.now().timestamp()) - 3600)
    elif bad == "no header":
        answer = client.post("/api/v1/billing/stripe/webhook/", data=event, format="json")
    else:
        import json

        from tests.billing.stripe_server import sign

        signed = json.dumps(event).encode()
        forged = json.dumps({**event, "id": "evt_forged"}).encode()
        answer = client.post(
            "/api/v1/billing/stripe/webhook/",
            data=forged,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=sign(signed),
        )

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "INVALID_REQUEST"
    assert not StripeEvent.objects.exists()
    assert billing_services.subscription_for(user=user).plan.code == "free"


@pytest.mark.slow
def test_the_portal_needs_a_billing_account_then_answers_its_url(local_stripe, user):
    before = _client(user).post("/api/v1/billing/portal/")
    assert before.status_code == 400
    _subscribe(local_stripe, user)

    after = _client(user).post("/api/v1/billing/portal/")

    assert after.status_code == 201
    assert "/p/session/bps_" in after.json()["url"]


@pytest.mark.slow
def test_checkout_refusals(local_stripe, user, settings):
    unknown = _client(user).post("/api/v1/billing/checkout/", {"plan": "gold"}, format="json")
    free = _client(user).post("/api/v1/billing/checkout/", {"plan": "free"}, format="json")
    _subscribe(local_stripe, user)
    again = _client(user).post("/api/v1/billing/checkout/", {"plan": "business"}, format="json")
    settings.STRIPE_SECRET_KEY = ""
    other = UserFactory()
    unset = _client(other).post("/api/v1/billing/checkout/", {"plan": "business"}, format="json")

    assert unknown.status_code == free.status_code == 400
    assert unknown.json()["error"]["details"]["fields"]["plan"]
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "ALREADY_SUBSCRIBED",
        "message": again.json()["error"]["message"],
        "details": {"plan": "creator"},
    }
    assert unset.status_code == 503
    assert unset.json()["error"]["code"] == "BILLING_NOT_CONFIGURED"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_stripe_delivers_to_a_registered_webhook_endpoint(local_stripe, live_server, settings):
    """The whole loop without help: the endpoint is registered through the SDK and the local
    Stripe itself signs and POSTs its events to the running server."""
    endpoint = local_stripe.client().v1.webhook_endpoints.create(
        params={
            "url": live_server.url + "/api/v1/billing/stripe/webhook/",
            "enabled_events": ["checkout.session.completed", "customer.subscription.created"],
        }
    )
    settings.STRIPE_WEBHOOK_SECRET = endpoint.secret
    user = UserFactory()
    response = _client(user).post("/api/v1/billing/checkout/", {"plan": "creator"}, format="json")

    local_stripe.pay_checkout(response.json()["url"].rsplit("/", 1)[-1])

    deadline = timezone.now() + datetime.timedelta(seconds=15)
    while timezone.now() < deadline and StripeEvent.objects.count() < 2:
        threading.Event().wait(0.1)
    assert sorted(StripeEvent.objects.values_list("type", flat=True)) == [
        "checkout.session.completed",
        "customer.subscription.created",
    ]
    assert billing_services.subscription_for(user=user).plan.code == "creator"

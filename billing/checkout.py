"""Selling plans through Stripe with the official `stripe` SDK: one Stripe Customer per user,
a Checkout Session (subscription mode) to buy a plan, a Customer Portal session to manage it.

The client is live unless STRIPE_API_BASE points it elsewhere (tests: a local Stripe). Every
creating call carries an idempotency key. The Customer is made once: under the user's
subscription row lock the stored id is used, else one is searched for by metadata
(`metadata['reelmaker_user_id']`), and only then created, with a key bound to the user, so a
double click or two servers never make two."""

from __future__ import annotations

import logging
import time
from urllib.parse import urljoin

import stripe
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from stripe._base_address import BaseAddresses

from billing.models import Plan, Subscription
from billing.plans import FREE_PLAN_CODE, effective_plan
from billing.services import subscription_for
from reelmaker.errors import (
    AlreadySubscribed,
    BillingNotConfigured,
    ExternalApiError,
    InvalidRequest,
)

log = logging.getLogger(__name__)

USER_KEY = "reelmaker_user_id"


def client() -> stripe.StripeClient:
    """The SDK client for STRIPE_SECRET_KEY (and STRIPE_API_BASE when set).
    BillingNotConfigured (503) without a key."""
    if not settings.STRIPE_SECRET_KEY:
        raise BillingNotConfigured()
    base: BaseAddresses = {}
    if settings.STRIPE_API_BASE:
        base["api"] = settings.STRIPE_API_BASE
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses=base, max_network_retries=2
    )


def stripe_failed(exc: stripe.StripeError) -> ExternalApiError:
    log.warning("stripe call failed: %s", exc)
    message = getattr(exc, "user_message", None) or "Stripe did not answer as expected."
    return ExternalApiError(message, details={"provider": "stripe", "reason": type(exc).__name__})


def _minute() -> int:
    # Bound into idempotency keys: a double click within the minute gets the same object.
    return int(time.time() // 60)


def customer_id_for(*, user) -> str:
    """The user's Stripe Customer id: stored, found by metadata, or created once."""
    subscription_for(user=user)
    stripe_client = client()
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(user=user)
        if subscription.stripe_customer_id:
            return subscription.stripe_customer_id
        try:
            found = stripe_client.v1.customers.search(
                params={"query": f"metadata['{USER_KEY}']:'{user.pk}'", "limit": 1}
            )
            if found.data:
                customer_id = found.data[0].id
            else:
                customer_id = stripe_client.v1.customers.create(
                    params={
                        "email": user.email,
                        "name": user.get_full_name() or user.email,
                        "metadata": {USER_KEY: str(user.pk)},
                    },
                    options={"idempotency_key": f"reelmaker-customer-{user.pk}"},
                ).id
        except stripe.StripeError as exc:
            raise stripe_failed(exc) from exc
        subscription.stripe_customer_id = customer_id
        subscription.save(update_fields=["stripe_customer_id", "updated_at"])
        return customer_id


def _absolute(path: str) -> str:
    return urljoin(settings.BILLING_RETURN_ORIGIN, path)


def start_checkout(*, user, plan_code: str) -> dict:
    """A Checkout Session in subscription mode for the plan's Stripe Price: {"id", "url"}.
    InvalidRequest for an unknown or unsold plan; AlreadySubscribed while a paid plan applies."""
    plan = Plan.objects.filter(code=plan_code, is_active=True).exclude(stripe_price_id="").first()
    if plan is None or plan.code == FREE_PLAN_CODE:
        raise InvalidRequest(
            _("Some fields are invalid."),
            details={"fields": {"plan": [_("No such plan is for sale.")]}},
        )
    current = effective_plan(subscription_for(user=user))
    if current.code != FREE_PLAN_CODE:
        raise AlreadySubscribed(details={"plan": current.code})
    customer_id = customer_id_for(user=user)
    plans_url = _absolute(reverse("billing-plans"))
    try:
        session = client().v1.checkout.sessions.create(
            params={
                "mode": "subscription",
                "customer": customer_id,
                "client_reference_id": str(user.pk),
                "line_items": [{"price": plan.stripe_price_id, "quantity": 1}],
                "success_url": f"{plans_url}?checkout=done",
                "cancel_url": f"{plans_url}?checkout=canceled",
                "metadata": {USER_KEY: str(user.pk), "plan": plan.code},
                "subscription_data": {"metadata": {USER_KEY: str(user.pk), "plan": plan.code}},
            },
            options={"idempotency_key": f"reelmaker-checkout-{user.pk}-{plan.code}-{_minute()}"},
        )
    except stripe.StripeError as exc:
        raise stripe_failed(exc) from exc
    return {"id": session.id, "url": session.url}


def open_portal(*, user) -> dict:
    """A Customer Portal session for the user's Customer: {"url"}. InvalidRequest before the
    user has ever checked out."""
    customer_id = (
        Subscription.objects.filter(user=user).values_list("stripe_customer_id", flat=True).first()
    )
    if not customer_id:
        raise InvalidRequest(_("You have no billing account yet: choose a plan first."))
    try:
        session = client().v1.billing_portal.sessions.create(
            params={"customer": customer_id, "return_url": _absolute(reverse("billing-plans"))},
            options={"idempotency_key": f"reelmaker-portal-{user.pk}-{_minute()}"},
        )
    except stripe.StripeError as exc:
        raise stripe_failed(exc) from exc
    return {"url": session.url}

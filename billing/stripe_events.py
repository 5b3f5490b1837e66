"""Stripe webhooks: verified with the official SDK (stripe.Webhook.construct_event, with
STRIPE_WEBHOOK_TOLERANCE_S), each event applied once (its id is stored in the same
transaction as its effect), and safe in any order: the subscription an event is about is
fetched from Stripe and its state copied, never inferred from which event came last."""

from __future__ import annotations

import datetime
import logging

import stripe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import checkout
from billing.models import Plan, StripeEvent, Subscription
from billing.plans import change_plan, free_plan
from billing.services import subscription_for
from reelmaker.errors import BillingNotConfigured, InvalidRequest

log = logging.getLogger(__name__)

HANDLED = frozenset(
    {
        "checkout.session.completed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "invoice.paid",
        "invoice.payment_succeeded",
        "invoice.payment_failed",
    }
)
# Stripe's subscription status -> ours.
STATUSES = {
    "active": Subscription.Status.ACTIVE,
    "trialing": Subscription.Status.TRIALING,
    "past_due": Subscription.Status.PAST_DUE,
    "unpaid": Subscription.Status.PAST_DUE,
    "canceled": Subscription.Status.CANCELED,
    "incomplete_expired": Subscription.Status.CANCELED,
    "paused": Subscription.Status.CANCELED,
}


def verify(*, payload: bytes, signature: str) -> dict:
    """The event as a dict. InvalidRequest (400) for a bad signature, a stale timestamp or
    a body that is not an event; BillingNotConfigured without STRIPE_WEBHOOK_SECRET."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise BillingNotConfigured()
    try:
        event = stripe.Webhook.construct_event(
            payload,
            signature,
            settings.STRIPE_WEBHOOK_SECRET,
            tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_S,
        )
    except (ValueError, stripe.SignatureVerificationError) as exc:
        log.warning("stripe webhook refused: %s", exc)
        raise InvalidRequest(_("The Stripe signature does not match this body.")) from None
    return event.to_dict()


def handle(*, payload: bytes, signature: str) -> bool:
    """Verify and apply one webhook. False when the event was applied before."""
    event = verify(payload=payload, signature=signature)
    with transaction.atomic():
        try:
            with transaction.atomic():
                StripeEvent.objects.create(event_id=event["id"], type=event.get("type", ""))
        except IntegrityError:
            return False  # applied already (a parallel delivery waits for the first to commit)
        if event.get("type") in HANDLED:
            apply_event(event)  # a failure undoes the stored id too: Stripe sends it again
    return True


def apply_event(event: dict) -> None:
    obj = (event.get("data") or {}).get("object") or {}
    kind = event["type"]
    if kind == "checkout.session.completed":
        _remember_customer(obj)
        sub_id = obj.get("subscription")
    elif kind.startswith("customer.subscription."):
        sub_id = obj.get("id")
    else:
        sub_id = _invoice_subscription(obj)
    if not sub_id:
        return
    sub_id = sub_id if isinstance(sub_id, str) else sub_id.get("id")
    try:
        current = checkout.client().v1.subscriptions.retrieve(sub_id).to_dict()
    except stripe.StripeError as exc:
        raise checkout.stripe_failed(exc) from exc
    apply_subscription(current, payment_failed=kind == "invoice.payment_failed")


def _invoice_subscription(invoice: dict):
    # Older API versions name it on the invoice; newer ones under parent.subscription_details.
    parent = (invoice.get("parent") or {}).get("subscription_details") or {}
    return invoice.get("subscription") or parent.get("subscription")


def _remember_customer(session: dict) -> None:
    user_id = session.get("client_reference_id") or (session.get("metadata") or {}).get(
        checkout.USER_KEY
    )
    customer = session.get("customer")
    if user_id and customer:
        Subscription.objects.filter(user_id=user_id, stripe_customer_id="").update(
            stripe_customer_id=customer
        )


def _local_for(sub: dict) -> Subscription | None:
    customer = sub.get("customer")
    customer = customer if isinstance(customer, str) else (customer or {}).get("id")
    local = Subscription.objects.filter(stripe_customer_id=customer).first() if customer else None
    user_id = (sub.get("metadata") or {}).get(checkout.USER_KEY)
    if local is None and user_id:
        user = get_user_model().objects.filter(pk=user_id).first()
        local = subscription_for(user=user) if user is not None else None
    return local


def _item(sub: dict) -> dict:
    items = (sub.get("items") or {}).get("data") or [{}]
    return items[0]


def _price_id(sub: dict) -> str:
    item = _item(sub)
    price = item.get("price") or item.get("plan") or {}
    return price if isinstance(price, str) else price.get("id", "")


def _timestamp(value) -> datetime.datetime | None:
    return datetime.datetime.fromtimestamp(value, tz=datetime.UTC) if value else None


def _paid_until(sub: dict) -> datetime.datetime | None:
    """When the period paid for ends; for an ended subscription, when it ended."""
    end = sub.get("current_period_end") or _item(sub).get("current_period_end")
    return _timestamp(sub.get("ended_at") or end)


def apply_subscription(sub: dict, *, payment_failed: bool = False) -> Subscription | None:
    """Copy a Stripe subscription's state onto the user's: its plan (by Price) while active or
    trialing, a grace period while past due, the free plan once it ended."""
    local = _local_for(sub)
    status = STATUSES.get(sub.get("status", ""))
    if local is None or status is None:  # incomplete: the checkout is not paid yet
        log.info("stripe subscription %s (%s) not applied", sub.get("id"), sub.get("status"))
        return local
    is_other = local.stripe_subscription_id and local.stripe_subscription_id != sub["id"]
    if is_other and status == Subscription.Status.CANCELED:
        return local  # an older subscription ending does not touch the current one
    paid_until = _paid_until(sub)
    if status == Subscription.Status.CANCELED and (
        paid_until is None or paid_until <= timezone.now()
    ):
        # Ended: straight to the free plan (no detour through the plan it had).
        return change_plan(
            subscription=local,
            plan=free_plan(),
            reason=f"stripe {sub['id']} ended",
            status=Subscription.Status.ACTIVE,
            stripe_subscription_id="",
            current_period_end=None,
            cancel_at_period_end=False,
            grace_until=None,
        )
    plan = Plan.objects.filter(stripe_price_id=_price_id(sub)).first()
    if plan is None:
        log.error("stripe price %s is no plan's: set it in admin", _price_id(sub))
        plan = local.plan
    grace = local.grace_until
    if status == Subscription.Status.PAST_DUE or payment_failed:
        grace = grace or timezone.now() + datetime.timedelta(days=settings.BILLING_GRACE_DAYS)
    else:
        grace = None
    return change_plan(
        subscription=local,
        plan=plan,
        reason=f"stripe {sub['id']} {sub.get('status')}",
        status=status,
        stripe_subscription_id=sub["id"],
        current_period_end=paid_until,
        cancel_at_period_end=bool(sub.get("cancel_at_period_end")),
        grace_until=grace,
    )

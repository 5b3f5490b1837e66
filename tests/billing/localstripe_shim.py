"""localstripe (PyPI) extended with what reelmaker's billing calls and it lacks (RECIPES §4):
Prices, Checkout Sessions, Customer Portal sessions, Customer search, webhook endpoints and
idempotency keys, each answering in Stripe's documented shape; plus test-only routes under
/_test/ that do what a person or Stripe's clock would do (pay a Checkout page, fail or recover
a renewal payment, reach a canceled subscription's period end).

Run: python tests/billing/localstripe_shim.py --port N --from-scratch (tests.billing.stripe_server
starts it). localstripe pickles its state to one fixed file after every write; this shim keeps
the state in memory only, so parallel instances never share it."""

from __future__ import annotations

import json
import re
import secrets
import time

from aiohttp import web
from localstripe import resources, server
from localstripe.errors import UserError
from localstripe.resources import (
    Customer,
    Event,
    Invoice,
    PaymentMethod,
    Plan,
    StripeObject,
    Subscription,
)
from localstripe.webhooks import register_webhook, schedule_webhook
from multidict import MultiDict, MultiDictProxy

resources.Store.dump_to_disk = lambda self: None  # type: ignore[method-assign]

_idempotent: dict[str, tuple[int, bytes]] = {}
_endpoints: dict[str, dict] = {}


def _price(plan: Plan) -> dict:
    exported = plan._export()
    return {
        "id": plan.id,
        "object": "price",
        "active": plan.active,
        "billing_scheme": "per_unit",
        "created": plan.created,
        "currency": plan.currency,
        "livemode": False,
        "lookup_key": None,
        "metadata": plan.metadata,
        "nickname": plan.nickname,
        "product": plan.product,
        "recurring": {
            "interval": plan.interval,
            "interval_count": plan.interval_count,
            "usage_type": plan.usage_type,
        },
        "type": "recurring",
        "unit_amount": exported["amount"],
        "unit_amount_decimal": str(exported["amount"]),
    }


async def create_price(request):
    data = await server.get_post_data(request) or {}
    recurring = data.get("recurring") or {}
    if not recurring.get("interval"):
        raise UserError(400, "Only recurring prices are supported here")
    plan = Plan(
        id="price_" + secrets.token_hex(8),
        product=data.get("product"),
        amount=data.get("unit_amount"),
        currency=data.get("currency"),
        interval=recurring.get("interval"),
        interval_count=recurring.get("interval_count", 1),
        metadata=data.get("metadata"),
        nickname=data.get("nickname"),
    )
    return server.json_response(_price(plan))


async def retrieve_price(request):
    return server.json_response(_price(Plan._api_retrieve(request.match_info["id"])))


class CheckoutSession(StripeObject):
    object = "checkout.session"
    _id_prefix = "cs_test_"

    def __init__(self, base_url: str, **data):
        line_items = data.get("line_items") or []
        try:
            assert data.get("mode") in ("subscription", "payment", "setup")
            assert data.get("success_url")
            assert len(line_items) == 1
            assert line_items[0].get("price")
        except AssertionError:
            raise UserError(400, "Bad request") from None
        Plan._api_retrieve(line_items[0]["price"])
        customer = data.get("customer")
        if customer:
            Customer._api_retrieve(customer)
        super().__init__()
        self.mode = data["mode"]
        self.customer = customer
        self.client_reference_id = data.get("client_reference_id")
        self.metadata = data.get("metadata") or {}
        self.success_url = data["success_url"]
        self.cancel_url = data.get("cancel_url")
        self.status = "open"
        self.payment_status = "unpaid"
        self.subscription = None
        self.expires_at = self.created + 24 * 3600
        self.url = f"{base_url}/c/pay/{self.id}"
        self._price = line_items[0]["price"]
        self._subscription_metadata = (data.get("subscription_data") or {}).get("metadata")


async def create_checkout_session(request):
    data = await server.get_post_data(request) or {}
    base = f"{request.scheme}://{request.host}"
    return server.json_response(CheckoutSession(base, **data)._export())


async def retrieve_checkout_session(request):
    return server.json_response(CheckoutSession._api_retrieve(request.match_info["id"])._export())


async def pay_checkout_session(request):
    """The customer entered a card on the Checkout page and paid (test only). The card number
    may be given as `card`; 4000000000000341 attaches but its charge is declined."""
    session = CheckoutSession._api_retrieve(request.match_info["id"])
    data = await server.get_post_data(request) or {}
    if session.status != "open":
        raise UserError(400, "This Checkout Session is not open")
    card = {"number": data.get("card", "4242424242424242"), "exp_month": 12, "exp_year": 2040}
    card["cvc"] = "123"
    method = PaymentMethod(type="card", card=card)
    PaymentMethod._api_attach(method.id, customer=session.customer)
    Customer._api_update(session.customer, invoice_settings={"default_payment_method": method.id})
    subscription = Subscription(
        customer=session.customer,
        items=[{"plan": session._price}],
        metadata=session._subscription_metadata,
    )
    session.status = "complete"
    session.payment_status = "paid" if subscription.status == "active" else "unpaid"
    session.subscription = subscription.id
    schedule_webhook(Event("checkout.session.completed", session))
    return server.json_response(session._export())


async def create_portal_session(request):
    data = await server.get_post_data(request) or {}
    customer = data.get("customer")
    if not customer:
        raise UserError(400, "Missing required param: customer.")
    Customer._api_retrieve(customer)
    session_id = "bps_" + secrets.token_hex(12)
    return server.json_response(
        {
            "id": session_id,
            "object": "billing_portal.session",
            "configuration": "bpc_default",
            "created": int(time.time()),
            "customer": customer,
            "livemode": False,
            "locale": None,
            "on_behalf_of": None,
            "return_url": data.get("return_url"),
            "url": f"{request.scheme}://{request.host}/p/session/{session_id}",
        }
    )


_CLAUSE = re.compile(r"^\s*(metadata\['([^']+)'\]|email|name):'([^']*)'\s*$")


def _matches(customer: Customer, clauses) -> bool:
    for field, key, value in clauses:
        if key:
            if (customer.metadata or {}).get(key) != value:
                return False
        elif getattr(customer, field, None) != value:
            return False
    return True


def search_customers(request):
    query = request.query.get("query", "")
    clauses = []
    for part in re.split(r"\s+AND\s+", query):
        match = _CLAUSE.match(part)
        if match is None:
            raise UserError(400, "Unsupported search query")
        clauses.append(match.groups())
    found = [
        obj
        for key, obj in resources.store.items()
        if key.startswith("customer:") and not getattr(obj, "deleted", False)
        if _matches(obj, clauses)
    ]
    limit = int(request.query.get("limit", 10))
    return server.json_response(
        {
            "object": "search_result",
            "data": [customer._export() for customer in found[:limit]],
            "has_more": len(found) > limit,
            "next_page": None,
            "url": "/v1/customers/search",
        }
    )


async def create_webhook_endpoint(request):
    data = await server.get_post_data(request) or {}
    url, events = data.get("url"), data.get("enabled_events") or ["*"]
    if not url or not str(url).startswith("http"):
        raise UserError(400, "Invalid URL")
    endpoint_id = "we_" + secrets.token_hex(12)
    secret = "whsec_" + secrets.token_hex(16)
    register_webhook(endpoint_id, url, secret, None if "*" in events else events)
    endpoint = {
        "id": endpoint_id,
        "object": "webhook_endpoint",
        "api_version": None,
        "created": int(time.time()),
        "enabled_events": events,
        "livemode": False,
        "metadata": data.get("metadata") or {},
        "status": "enabled",
        "url": url,
    }
    _endpoints[endpoint_id] = endpoint
    return server.json_response({**endpoint, "secret": secret})


def list_webhook_endpoints(request):
    data = list(_endpoints.values())
    return server.json_response(
        {"object": "list", "data": data, "has_more": False, "url": "/v1/webhook_endpoints"}
    )


def _latest_invoice(subscription: Subscription) -> Invoice:
    invoices = Invoice._api_list_all(
        None, customer=subscription.customer, subscription=subscription.id, limit=99
    )._list
    if not invoices:
        raise UserError(404, "No invoice for this subscription")
    return invoices[-1]


async def renewal(request):
    """The period renewed (test only): `outcome` paid keeps or makes it active and sends
    invoice.paid; failed makes it past_due and sends invoice.payment_failed."""
    subscription = Subscription._api_retrieve(request.match_info["id"])
    data = await server.get_post_data(request) or {}
    failed = data.get("outcome") == "failed"
    subscription.status = "past_due" if failed else "active"
    invoice = _latest_invoice(subscription)
    schedule_webhook(Event("invoice.payment_failed" if failed else "invoice.paid", invoice))
    schedule_webhook(Event("customer.subscription.updated", subscription))
    return server.json_response(subscription._export())


async def end_period(request):
    """The period of a subscription set to cancel at its end is over (test only): Stripe
    cancels it then and sends customer.subscription.deleted."""
    subscription = Subscription._api_retrieve(request.match_info["id"])
    if not subscription.cancel_at_period_end:
        raise UserError(400, "This subscription does not cancel at its period end")
    return server.json_response(Subscription._api_delete(subscription.id)._export())


_update = Subscription._update


def _update_and_tell(self, **data):
    # Stripe sends customer.subscription.updated on every change; localstripe does not.
    _update(self, **data)
    schedule_webhook(Event("customer.subscription.updated", self))


Subscription._update = _update_and_tell  # type: ignore[method-assign]


@web.middleware
async def stripe_extras(request, handler):
    """Idempotency keys replayed; items[N][price] read as items[N][plan]; the customer
    search route taken before localstripe's /v1/customers/{id}; a flush clears the shim too."""
    if request.method == "GET" and request.path == "/v1/customers/search":
        return search_customers(request)
    if request.method == "DELETE" and request.path == "/_config/data":
        _idempotent.clear()
        _endpoints.clear()
    key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
    if key and key in _idempotent:
        status, body = _idempotent[key]
        return web.Response(status=status, body=body, content_type="application/json")
    if request.method == "POST" and request.path.startswith("/v1/subscriptions"):
        form = await request.post()
        pairs = ((k.replace("[price]", "[plan]"), v) for k, v in form.items())
        request._post = MultiDictProxy(MultiDict(pairs))
    response = await handler(request)
    if key and isinstance(response, web.Response) and response.status < 500:
        _idempotent[key] = (response.status, response.body or json.dumps({}).encode())
    return response


server.app.middlewares.insert(1, stripe_extras)
server.app.router.add_post("/v1/prices", create_price)
server.app.router.add_get("/v1/prices/{id}", retrieve_price)
server.app.router.add_post("/v1/checkout/sessions", create_checkout_session)
server.app.router.add_get("/v1/checkout/sessions/{id}", retrieve_checkout_session)
server.app.router.add_post("/v1/billing_portal/sessions", create_portal_session)
server.app.router.add_post("/v1/webhook_endpoints", create_webhook_endpoint)
server.app.router.add_get("/v1/webhook_endpoints", list_webhook_endpoints)
server.app.router.add_post("/_test/checkout/sessions/{id}/pay", pay_checkout_session)
server.app.router.add_post("/_test/subscriptions/{id}/renewal", renewal)
server.app.router.add_post("/_test/subscriptions/{id}/end_period", end_period)

if __name__ == "__main__":
    server.start()

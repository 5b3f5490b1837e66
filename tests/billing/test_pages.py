"""[billing] 5: the studio's plans page (compare, upgrade through Checkout, manage through the
Portal) with the usage panel, in English and Korean."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from billing.models import Subscription
from tests.billing.test_stripe_checkout import _subscribe


@pytest.fixture
def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_plans_page_is_billing_plans_and_needs_a_sign_in(db):
    assert reverse("billing-plans") == "/billing/"
    response = Client().get("/billing/")
    assert response.status_code == 302


@pytest.mark.slow
def test_the_plans_page_compares_plans_and_shows_this_months_usage(local_stripe, browser):
    response = browser.get("/billing/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Free", "Creator", "Business"):
        assert f'<th scope="row">{name}</th>' in html
    assert "Your plan" in html
    assert "Upgrade to Creator" in html
    assert "Upgrade to Business" in html
    assert "0 of 3 used, 3 left" in html
    assert "Manage plan, card and invoices" not in html  # no billing account yet


@pytest.mark.slow
def test_upgrade_redirects_to_checkout_and_manage_to_the_portal(local_stripe, browser, user):
    upgrade = browser.post("/billing/checkout/", {"plan": "creator"})

    assert upgrade.status_code == 302
    assert upgrade["Location"].startswith(local_stripe.url + "/c/pay/cs_test_")
    _subscribe(local_stripe, user)
    page = browser.get("/billing/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Manage plan, card and invoices" in page
    assert "Upgrade to" not in page  # a paid plan changes through the Portal
    manage = browser.post("/billing/portal/")
    assert manage.status_code == 302
    assert "/p/session/bps_" in manage["Location"]


@pytest.mark.slow
def test_a_refusal_shows_on_the_page_in_korean(local_stripe, browser, user):
    response = browser.post("/billing/portal/", HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 400
    html = response.content.decode()
    assert "결제 계정" in html
    assert "이번 달" in html
    assert not Subscription.objects.get(user=user).stripe_customer_id

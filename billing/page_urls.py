"""The billing pages, mounted at /billing/ (before the studio's catch-all routes)."""

from django.urls import path

from billing import pages

urlpatterns = [
    path("", pages.plans, name="billing-plans"),
    path("checkout/", pages.start_checkout, name="billing-page-checkout"),
    path("portal/", pages.open_portal, name="billing-page-portal"),
]

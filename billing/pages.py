"""The studio's billing pages: compare plans, upgrade through Checkout, manage through the
Portal, and this month's usage. Thin views over billing.checkout and billing.usage."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from billing import checkout, usage
from billing.serializers import PlanSerializer
from reelmaker.errors import DomainError


def _plans_page(request: HttpRequest, *, error: DomainError | None = None) -> HttpResponse:
    summary = usage.usage_summary(user=request.user)
    plans = usage.plans_for_sale()
    context = {
        "plans": [
            {"plan": plan, "for_sale": PlanSerializer(plan).data["for_sale"]} for plan in plans
        ],
        "usage": summary,
        "current": summary["plan"],
        "checkout": request.GET.get("checkout", ""),
        "error": error,
    }
    status = error.http_status if error is not None else 200
    return render(request, "billing/plans.html", context, status=status)


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    return _plans_page(request)


@login_required
@require_POST
def start_checkout(request: HttpRequest) -> HttpResponse:
    try:
        session = checkout.start_checkout(user=request.user, plan_code=request.POST.get("plan", ""))
    except DomainError as exc:
        return _plans_page(request, error=exc)
    return redirect(session["url"])


@login_required
@require_POST
def open_portal(request: HttpRequest) -> HttpResponse:
    try:
        session = checkout.open_portal(user=request.user)
    except DomainError as exc:
        return _plans_page(request, error=exc)
    return redirect(session["url"])

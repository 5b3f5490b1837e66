"""Admin sign-in lockout: after ADMIN_LOGIN_MAX_FAILURES failed logins for one account name
or from one client address, the admin login answers 429 for ADMIN_LOCKOUT_S.

Counters live in the default cache (shared with DEBUG off, see settings); a success clears
the account's counter. The API's own login has DRF throttles (reelmaker/throttles.py)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from reelmaker.throttles import client_address


def _keys(request) -> list[str]:
    username = str(request.POST.get("username") or "").strip().lower()
    keys = [f"admin-lockout:ip:{client_address(request)}"]
    if username:
        keys.append(f"admin-lockout:user:{hashlib.sha256(username.encode()).hexdigest()}")
    return keys


def is_locked_out(request) -> bool:
    """Whether any of the request's counters reached the limit."""
    counts = cache.get_many(_keys(request))
    return any(count >= settings.ADMIN_LOGIN_MAX_FAILURES for count in counts.values())


def record_failure(request) -> None:
    """Count one failed admin login against the address and the account name."""
    for key in _keys(request):
        cache.add(key, 0, timeout=settings.ADMIN_LOCKOUT_S)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.ADMIN_LOCKOUT_S)


@sensitive_post_parameters()
@csrf_protect
@never_cache
def admin_login(request, extra_context=None):
    """admin.site.login behind the lockout."""
    if request.method == "POST" and is_locked_out(request):
        minutes = max(1, settings.ADMIN_LOCKOUT_S // 60)
        message = _("Too many failed sign-ins. Try again in %(minutes)d minutes.") % {
            "minutes": minutes
        }
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(settings.ADMIN_LOCKOUT_S)
        return response
    response = admin.site.login(request, extra_context)
    if request.method == "POST":
        if response.status_code == 302:  # signed in: the account starts afresh
            cache.delete_many(_keys(request)[1:])
        else:
            record_failure(request)
    return response

"""DRF permissions for the API's work-starting verbs."""

from __future__ import annotations

from rest_framework.permissions import IsAuthenticated

from accounts.services import ensure_may_start_work


class MayStartWork(IsAuthenticated):
    """Signed in, and with REQUIRE_VERIFIED_EMAIL on, a verified email (else 403
    EMAIL_NOT_VERIFIED). Put on the actions that call the pipeline's work-starting verbs."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        ensure_may_start_work(user=request.user)
        return True

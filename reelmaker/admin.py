"""What every ModelAdmin of ours shares: service refusals shown as admin messages."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from reelmaker.errors import DomainError


class DomainErrorsAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes call services: a DomainError a service raises
    (PlanLocked, StoryBusy, ...) undoes the whole submission and is shown to the operator as
    an error message on the page they came from, not as a server error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The form view runs in one transaction, rolled back before the refusal arrives here.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            return self._refused(request, exc)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            return self._refused(request, exc)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except DomainError as exc:
            return self._refused(request, exc)

    def _refused(self, request, exc: DomainError) -> HttpResponseRedirect:
        self.message_user(request, str(exc.message), level=messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

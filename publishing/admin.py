from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from publishing import linking, services
from publishing.errors import NotCancelable
from publishing.models import LinkedAccount, Publication


@admin.register(LinkedAccount)
class LinkedAccountAdmin(admin.ModelAdmin):
    list_display = ("user", "platform", "display_name", "status", "expires_at", "updated_at")
    list_filter = ("platform", "status")
    search_fields = ("display_name", "external_id", "user__email")
    raw_id_fields = ("user",)
    # The encrypted tokens are not editable fields: admin never shows them.
    readonly_fields = ("external_id", "scopes", "expires_at", "status_reason")
    actions = ["unlink_accounts"]

    @admin.action(
        description=_("Unlink selected accounts (revoke their tokens)"), permissions=["delete"]
    )
    def unlink_accounts(self, request, queryset):
        accounts = list(queryset)
        for account in accounts:
            linking.unlink(account=account)
        self.message_user(request, _("%(n)d account(s) unlinked.") % {"n": len(accounts)})


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("id", "story", "platform", "account", "state", "post_url", "created_at")
    list_filter = ("platform", "privacy", "created_at")
    search_fields = ("title", "post_id", "story__title")
    raw_id_fields = ("story", "account", "job", "requested_by")
    readonly_fields = ("post_id", "post_url", "published_at", "upload_state")
    actions = ["cancel_publications"]

    @admin.display(description=_("state"))
    def state(self, obj: Publication) -> str:
        return str(Publication.State(obj.state).label)

    @admin.action(description=_("Cancel selected pending publications"), permissions=["change"])
    def cancel_publications(self, request, queryset):
        canceled = 0
        for publication in queryset.select_related("job"):
            try:
                services.cancel_publication(publication=publication, by=request.user)
            except NotCancelable:
                continue
            canceled += 1
        self.message_user(request, _("%(n)d publication(s) canceled.") % {"n": canceled})

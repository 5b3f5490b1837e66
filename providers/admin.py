from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from providers import registry as providers
from providers.base import ProviderError
from providers.models import AIProviderConfig


@admin.register(AIProviderConfig)
class AIProviderConfigAdmin(admin.ModelAdmin):
    list_display = ("capability", "provider", "model", "priority", "is_enabled", "api_key_env")
    list_filter = ("capability", "is_enabled")
    list_editable = ("priority", "is_enabled")
    search_fields = ("provider", "model")
    actions = ["test_connection"]

    # Where a key is read from and where it is sent: a superuser's choice only, since "Test
    # connection" sends the key to the base URL.
    superuser_fields = ("api_key_env", "base_url")

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        return readonly + self.superuser_fields

    @admin.action(description=_("Test connection"), permissions=["change"])
    def test_connection(self, request, queryset):
        for config in queryset.order_by("capability", "priority", "pk"):
            try:
                result = providers.check_connection(config_id=config.pk)
            except ProviderError as exc:
                self.message_user(
                    request,
                    _("%(config)s: failed: %(error)s") % {"config": config, "error": exc},
                    level=messages.ERROR,
                )
            else:
                self.message_user(
                    request, _("%(config)s: OK, %(result)s") % {"config": config, "result": result}
                )

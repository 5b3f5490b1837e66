from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from billing.receivers import settle_final_render
        from stories.models import StoryStateTransition

        post_save.connect(
            settle_final_render,
            sender=StoryStateTransition,
            dispatch_uid="billing.settle_final_render",
        )

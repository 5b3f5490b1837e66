from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvenanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "provenance"
    verbose_name = _("Provenance and rights")

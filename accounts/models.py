"""VerifiedEmail: which address a user has proven to own (by the link mailed to it)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VerifiedEmail(models.Model):
    """The user's verified address. It stands only while it equals the user's email: a
    changed email is unverified until its own link is followed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_email"
    )
    email = models.EmailField(_("email"), max_length=254)
    verified_at = models.DateTimeField(_("verified at"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("verified email")
        verbose_name_plural = _("verified emails")

    def __str__(self) -> str:
        return self.email

"""VerifiedEmail: which address a user has proven to own (by the link mailed to it).
SocialIdentity: a Google or Kakao account that signs in as a user."""

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


class SocialIdentity(models.Model):
    """A Google or Kakao account that signs in as this user. A user may have several, beside
    (or instead of) a password."""

    class Provider(models.TextChoices):
        GOOGLE = "google", _("Google")
        KAKAO = "kakao", _("Kakao")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="social_identities"
    )
    provider = models.CharField(_("provider"), max_length=16, choices=Provider.choices)
    subject = models.CharField(_("user id at the provider"), max_length=255)
    email = models.EmailField(_("email at the provider"), max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("social sign-in")
        verbose_name_plural = _("social sign-ins")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="social_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()}: {self.email or self.subject}"

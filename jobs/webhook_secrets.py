"""Webhook signing secrets per user: each customer verifies with a secret nobody else has.

A user without one is signed with settings.WEBHOOK_SECRET (the deployment-wide fallback). The
secret is stored as it is (see WebhookSecret): HMAC needs it to sign."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction

from jobs.models import WebhookSecret

PREFIX = "whsec_"


@transaction.atomic
def rotate_webhook_secret(*, user) -> WebhookSecret:
    """A new signing secret for `user`, replacing the old one at once (webhooks sent from now
    on are signed with it). The caller shows it once; it cannot be read back later."""
    value = PREFIX + secrets.token_urlsafe(32)
    row, _created = WebhookSecret.objects.select_for_update().update_or_create(
        user=user, defaults={"secret": value}
    )
    return row


def delete_webhook_secret(*, user) -> None:
    """Drop the user's own secret: their webhooks are signed with WEBHOOK_SECRET again."""
    WebhookSecret.objects.filter(user=user).delete()


def signing_secret_for(*, user_id: int) -> str:
    """The secret that signs `user_id`'s webhooks: their own, else WEBHOOK_SECRET ("" if none)."""
    own = WebhookSecret.objects.filter(user_id=user_id).values_list("secret", flat=True).first()
    return own or settings.WEBHOOK_SECRET

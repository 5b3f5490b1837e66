"""Reads: a user's linked accounts and publications, owner-scoped."""

from __future__ import annotations

from django.db.models import QuerySet

from publishing.models import LinkedAccount, Publication


def accounts_for(*, user) -> QuerySet[LinkedAccount]:
    return LinkedAccount.objects.filter(user=user)


def publications_for(*, user) -> QuerySet[Publication]:
    """Publications of the user's stories (with job and account), newest first."""
    return Publication.objects.filter(story__owner=user).select_related("job", "account")


def publications_for_story(*, user, story_id: int) -> QuerySet[Publication]:
    return publications_for(user=user).filter(story_id=story_id)


def publications_for_account(*, user, account_id: int) -> QuerySet[Publication]:
    return publications_for(user=user).filter(account_id=account_id)

"""Publishing a completed reel: one Publication and one `upload` job per platform, queued on
the `uploads` queue (jobs.dispatch), run by jobs.uploads through `upload_publication`.

Before anything is queued every check in PRE_PUBLISH_CHECKS runs and may refuse with a
DomainError that says why; the integrator appends the [provenance] checks there (platform
rules: length, size, aspect, codec; rights: every asset's licence allows the use).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jobs import dispatch
from jobs import services as job_services
from jobs.models import Job
from media.services import local_copy
from provenance.ledger import PUBLISH, rights_problems
from provenance.models import Platform
from provenance.platform_rules import check_platform_rules
from providers.base import PermanentProviderError
from providers.publish import instagram, tiktok, youtube
from providers.publish.base import Post
from providers.publish.oauth import AccountNeedsReconnect
from publishing import linking
from publishing.errors import (
    AccountNotLinked,
    NotCancelable,
    NotPublishable,
    PlatformRefused,
    RulesRefused,
)
from publishing.models import LinkedAccount, Publication
from stories.models import Story
from stories.states import Status


def refuse_what_breaks_rules(*, story: Story, platforms: list[str]) -> None:
    """Each platform's rules on the final file (length, size, aspect, codecs) and every
    asset's licence, all listed at once so the user fixes them in one go. Runs after the
    story is known to be COMPLETED with its final."""
    final = story.final
    problems = [
        {**problem.to_json(), "platform": platform}
        for platform in platforms
        for problem in (check_platform_rules(final, platform) if final else [])
    ]
    problems += [problem.to_json() for problem in rights_problems(story, use=PUBLISH)]
    if problems:
        raise RulesRefused(problems=problems)


# (story, platforms) -> None, raising a DomainError to refuse. Run in order before any
# upload is queued.
PrePublishCheck = Callable[..., None]
PRE_PUBLISH_CHECKS: list[PrePublishCheck] = [refuse_what_breaks_rules]


def publish_story(
    *,
    story: Story,
    by,
    targets: list[str],
    title: str,
    description: str = "",
    hashtags: list[str] | None = None,
    privacy: str = "public",
    scheduled_at: datetime | None = None,
) -> list[Publication]:
    """Queue one upload per target to the user's linked account there. Raises
    NotConfigured (the settings named), NotPublishable (not COMPLETED),
    AccountNotLinked (none, or one to reconnect), or a pre-publish check's refusal; nothing is
    created when refused."""
    targets = list(dict.fromkeys(targets))
    linking.ensure_configured(targets)
    if story.status != Status.COMPLETED or story.final_id is None:
        raise NotPublishable(current=story.status)
    accounts = _accounts(user=story.owner, platforms=targets)
    for check in PRE_PUBLISH_CHECKS:
        check(story=story, platforms=targets)
    publications = []
    with transaction.atomic():
        for platform in targets:
            job = job_services.create_job(
                story=story, kind=Job.Kind.UPLOAD, max_attempts=_max_attempts()
            )
            publications.append(
                Publication.objects.create(
                    story=story,
                    account=accounts[platform],
                    job=job,
                    platform=platform,
                    title=title,
                    description=description,
                    hashtags=list(hashtags or []),
                    privacy=privacy,
                    scheduled_at=scheduled_at,
                    requested_by=by,
                )
            )
            # YouTube holds a scheduled video itself (publishAt); the others are sent then.
            eta = scheduled_at if platform != Platform.YOUTUBE else None
            dispatch.queue_upload(job=job, eta=eta)
    return publications


def _max_attempts() -> int:
    return settings.PUBLISH_MAX_ATTEMPTS


def _accounts(*, user, platforms: list[str]) -> dict[str, LinkedAccount]:
    found: dict[str, LinkedAccount] = {}
    for account in LinkedAccount.objects.filter(user=user, platform__in=platforms).order_by(
        "-updated_at"
    ):
        current = found.get(account.platform)
        if current is None or (
            current.status != LinkedAccount.Status.ACTIVE
            and account.status == LinkedAccount.Status.ACTIVE
        ):
            found[account.platform] = account
    missing = [p for p in platforms if p not in found]
    if missing:
        raise AccountNotLinked(platforms=missing)
    stale = [p for p in platforms if found[p].status != LinkedAccount.Status.ACTIVE]
    if stale:
        raise AccountNotLinked(platforms=stale, reconnect=True)
    return found


def cancel_publication(*, publication: Publication, by=None) -> Publication:
    """Cancel a publication whose upload has not started (queued or scheduled). Raises
    NotCancelable once it runs or has finished."""
    canceled = job_services.mark_jobs_canceled(
        job_ids=[publication.job_id] if publication.job_id else [], by=by
    )
    if not canceled:
        raise NotCancelable()
    dispatch.revoke(job.celery_task_id for job in canceled)
    publication.refresh_from_db()
    return publication


def upload_publication(*, job: Job) -> dict:
    """The `upload` job's work: send the reel to the platform, resuming what an earlier attempt
    left (upload_state), and store the post id and URL. Safe to repeat: a posted publication
    is not posted again. A refused token marks the account "reconnect" (AccountNotLinked); a
    refusal of the video is PlatformRefused; 429/5xx raise TransientProviderError (retried)."""
    publication = Publication.objects.select_related("story__final", "account").get(job=job)
    if publication.post_id:
        return {"provider": publication.platform}
    account = publication.account
    if account is None:
        raise AccountNotLinked(platforms=[publication.platform])
    story = publication.story
    if story.final is None:  # the final video was deleted after the publish was asked for
        raise NotPublishable(current=story.status)
    final = story.final
    client = linking.client_for(account)

    def save_state(state: dict) -> None:
        Publication.objects.filter(pk=publication.pk).update(
            upload_state=state, updated_at=timezone.now()
        )

    with tempfile.TemporaryDirectory(prefix="upload-") as workdir:
        path = local_copy(final, Path(workdir))
        post = Post(
            path=path,
            size_bytes=path.stat().st_size,
            title=publication.title,
            description=publication.description,
            hashtags=tuple(publication.hashtags),
            privacy=publication.privacy,
            language=story.language,
            publish_at=publication.scheduled_at,
        )
        state = dict(publication.upload_state or {})
        try:
            if publication.platform == Platform.YOUTUBE:
                posted = youtube.upload(client, post=post, state=state, save_state=save_state)
            elif publication.platform == Platform.INSTAGRAM:
                posted = instagram.upload(
                    client,
                    ig_user_id=account.external_id,
                    post=post,
                    state=state,
                    save_state=save_state,
                )
            else:
                posted = tiktok.upload(
                    client,
                    username=account.display_name,
                    post=post,
                    state=state,
                    save_state=save_state,
                )
        except AccountNeedsReconnect as exc:
            linking.mark_reconnect(account_id=account.pk, reason=exc.message)
            raise AccountNotLinked(platforms=[publication.platform], reconnect=True) from exc
        except PermanentProviderError as exc:
            raise PlatformRefused(
                platform=account.get_platform_display(), reason=exc.message
            ) from exc
    Publication.objects.filter(pk=publication.pk).update(
        post_id=posted.post_id,
        post_url=posted.url,
        published_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return {"provider": publication.platform}

"""python manage.py makereel "keyword or idea" [...]: a whole reel, offline, in this process."""

from __future__ import annotations

import contextlib
import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from tqdm import tqdm

from jobs import inline, pipeline
from media.models import Asset
from media.services import store_upload
from reelmaker.errors import DomainError, InvalidRequest
from render.assembly import write_scene_frames
from render.profiles import FPS
from stories import services as story_services
from stories.models import CaptionPreset, Story
from stories.serializers import BUSINESS_KEYS
from stories.states import Profile, Status

CLI_USERNAME = "makereel"


class Command(BaseCommand):
    help = "Make a reel from a keyword or idea: plan, visuals, voice, captions, music, render."

    def add_arguments(self, parser):
        parser.add_argument("keyword", help="keyword or idea, e.g. 'morning coffee ritual'")
        parser.add_argument("--lang", default="en", help="ko or en (default en)")
        parser.add_argument("--duration", type=int, default=30, help="target seconds, 5-180")
        parser.add_argument("--aspect", default="9:16", help="9:16, 16:9 or 1:1")
        parser.add_argument("--profile", default=Profile.FINAL, choices=Profile.values)
        parser.add_argument("--voice", default="", help="voice id, e.g. ko-espeak, en-piper-joe")
        parser.add_argument("--style", default="", help="modern, vivid, calm, retro, minimal, food")
        parser.add_argument(
            "--caption-style",
            default=CaptionPreset.CLASSIC,
            choices=CaptionPreset.values,
            help="how captions look (default classic)",
        )
        parser.add_argument("--script", type=Path, help="your own script: one scene per paragraph")
        parser.add_argument("--images", type=Path, help="a folder of your images or clips")
        parser.add_argument("--music", type=Path, help="a music file to use under the voice")
        parser.add_argument(
            "--business",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="a business detail (name, place, product, audience, offer, contact); repeat it",
        )
        parser.add_argument("--out", type=Path, default=Path("var/out/reel.mp4"))
        parser.add_argument("--user", default=CLI_USERNAME, help="owner of the story")
        parser.add_argument(
            "--frames", type=Path, help="also write a PNG of how each scene opens to this folder"
        )

    def handle(self, *args, **opts):
        # An expected failure (a bad key, a quota, a bad input) ends as one CommandError line
        # that names the step and what to do; its traceback only with -v 2 or --traceback.
        verbose = opts["traceback"] or opts["verbosity"] >= 2
        with _pipeline_log_level(logging.DEBUG if verbose else logging.ERROR):
            try:
                self._make(opts)
            except DomainError as exc:
                if verbose:
                    raise
                raise CommandError(str(exc.message)) from None

    def _make(self, opts) -> None:
        owner = self._owner(opts["user"])
        script = self._read_script(opts["script"])
        try:
            story = pipeline.create_story(
                owner=owner,
                keyword=opts["keyword"].strip(),
                language=opts["lang"],
                duration_s=opts["duration"],
                aspect=opts["aspect"],
                voice=opts["voice"],
                style=opts["style"],
                caption_style=opts["caption_style"],
                script=script,
                business=_business(opts["business"]),
            )
        except ValidationError as exc:
            raise CommandError(_describe(exc)) from None
        self.stdout.write(
            f"Story #{story.pk}: {story.keyword!r} ({story.language}, "
            f"{story.duration_s} s, {story.aspect}, {opts['profile']})"
        )
        self._attach_inputs(story, images=opts["images"], music=opts["music"])

        # A final goes from the plan straight to the final render: no preview pass first.
        render = (
            pipeline.render_final if opts["profile"] == Profile.FINAL else pipeline.generate_preview
        )
        steps = [pipeline.plan_story, render]
        for start in steps:
            start(story_id=story.pk, inline=True)
            inline.run_inline(story_id=story.pk, on_stage=self._progress_bar)
            story.refresh_from_db()
            if story.status == Status.FAILED:
                failed = f"Story #{story.pk} is FAILED; see {admin_url(story)}"
                raise CommandError(f"{operator_message(story)}\n{failed}")
        self._write_outputs(story, opts["out"], profile=opts["profile"])
        if opts["frames"] is not None:
            self._write_frames(story, opts["out"], opts["frames"])

    def _owner(self, username: str):
        """The story's owner: an existing user as they are (their plan applies), or this
        command's own user, who is staff: whoever runs manage.py operates the machine, and
        no plan limits an operator (billing.plans.operator_plan); it cannot sign in."""
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@localhost"}
        )
        if created:
            user.set_unusable_password()
        staff = username == CLI_USERNAME and not user.is_staff
        if staff:
            user.is_staff = True  # also the command's user made by an older version
        if created or staff:
            user.save()
        return user

    def _read_script(self, path: Path | None) -> str:
        if path is None:
            return ""
        try:
            return path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"--script {path}: cannot read it as UTF-8 text ({exc}).") from None

    def _attach_inputs(self, story: Story, *, images: Path | None, music: Path | None) -> None:
        try:
            if images is not None:
                if not images.is_dir():
                    raise CommandError(f"--images {images}: not a folder.")
                files = sorted(p for p in images.iterdir() if p.is_file())
                if not files:
                    raise CommandError(f"--images {images}: the folder is empty.")
                for path in files:
                    _store(story, path, expect=("image", "clip"))
            if music is not None:
                _store(story, music, expect=("music",))
        except DomainError as exc:
            story_services.transition_story(
                story_id=story.pk, to=Status.PLANNING, reason="inputs checked"
            )
            story_services.fail_story(story_id=story.pk, code=exc.code, message=str(exc))
            raise CommandError(f"Input refused: {exc}") from None

    def _progress_bar(self, name: str, total: int):
        """A bar per stage, at the sum of its jobs' progress (100 per job, as in Job.progress)."""
        bar = tqdm(
            total=total,
            desc=f"{name:<9}",
            unit="%",
            leave=True,
            file=self.stderr._out,
            bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}",
        )

        def update(done: int) -> None:
            if done > bar.n:
                bar.update(done - bar.n)
            if bar.n >= total:
                bar.close()

        return update

    def _write_frames(self, story: Story, reel: Path, folder: Path) -> None:
        durations = list(story.scenes.order_by("position").values_list("duration_ms", flat=True))
        frames = write_scene_frames(
            video_path=reel, scene_durations_ms=durations, fps=FPS, out_dir=folder
        )
        self.stdout.write(f"  {'scene frames':<15} {folder} ({len(frames)} PNG)")

    def _write_outputs(self, story: Story, out: Path, *, profile: str) -> None:
        video = story.final if profile == Profile.FINAL else story.preview
        if video is None:
            raise CommandError(f"Story #{story.pk} has no {profile} video; see {admin_url(story)}")
        out.parent.mkdir(parents=True, exist_ok=True)
        written = {"reel": _copy(video, out)}
        if story.thumbnail:
            written["thumbnail"] = _copy(story.thumbnail, out.with_suffix(".jpg"))
        if story.captions_srt:
            written["captions (SRT)"] = _copy(story.captions_srt, out.with_suffix(".srt"))
        if story.captions_vtt:
            written["captions (VTT)"] = _copy(story.captions_vtt, out.with_suffix(".vtt"))
        caption_path = out.with_suffix(".txt")
        caption_path.write_text(
            f"{story.post_caption}\n\n{' '.join(story.hashtags)}\n", encoding="utf-8"
        )
        written["post caption"] = caption_path
        self.stdout.write(self.style.SUCCESS(f"Done: {story.title}"))
        for label, path in written.items():
            self.stdout.write(f"  {label:<15} {path}")
        self.stdout.write(f"  {'admin':<15} {admin_url(story)}")


def _business(pairs: list[str]) -> dict[str, str]:
    """KEY=VALUE pairs as business details; raises CommandError for an unknown key or no '='."""
    details = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key.strip() not in BUSINESS_KEYS:
            raise CommandError(
                f"--business takes KEY=VALUE with KEY one of {', '.join(BUSINESS_KEYS)}; "
                f"got {pair!r}"
            )
        if value.strip():
            details[key.strip()] = value.strip()
    return details


@contextlib.contextmanager
def _pipeline_log_level(level: int):
    """The worker's one-line failure warnings repeat what the CommandError says: show them (and
    their tracebacks) only when asked for."""
    logger = logging.getLogger("jobs.pipeline")
    saved = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(saved)


def _store(story: Story, path: Path, *, expect: tuple[str, ...]) -> Asset:
    """A file of the user's, checked and stored like an upload through the API."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InvalidRequest(
            gettext("%(name)s: %(reason)s") % {"name": path.name, "reason": exc.strerror}
        ) from None
    with fh:
        return store_upload(
            owner=story.owner, file=File(fh, name=path.name), story=story, expect=expect
        )


def admin_url(story: Story) -> str:
    return f"{settings.SITE_URL}/admin/stories/story/{story.pk}/change/"


def _copy(asset: Asset, target: Path) -> Path:
    from django.core.files.storage import default_storage

    tmp = target.with_name(f".{target.name}.part")
    with default_storage.open(str(asset.file.name), "rb") as src, tmp.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    tmp.replace(target)
    return target


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def operator_message(story: Story) -> str:
    """What failed, with the full cause: the person at the command line runs this machine, so
    they get what admin shows (users of the API get a plain message and a reference)."""
    if not story.error_detail:
        return story.error_message
    step = story.error_message.partition(" step failed:")[0]
    name, _, text = story.error_detail.partition(": ")
    cause = text if name.isidentifier() and text else story.error_detail
    return f"{step} step failed: {cause}"

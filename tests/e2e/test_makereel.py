"""The whole offline pipeline through `makereel`, checked on the files it writes."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from PIL import Image

from billing import services as billing_services
from billing.models import Plan
from jobs import inline, pipeline
from jobs.models import Job
from render import runner
from render.qc import Expect, run_qc
from scenes.services.editing import update_scene
from stories.models import Story
from stories.states import Status

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def media_qc(path: Path, profile: str, aspect: str = "9:16") -> dict:
    return run_qc(path, expect=Expect(profile=profile, aspect=aspect)).to_json()


@pytest.mark.parametrize(
    ("keyword", "language"), [("제주 감귤 카페", "ko"), ("rainy day bookshop", "en")]
)
def test_makereel_renders_a_reel_that_passes_media_qc(tmp_path, keyword, language):
    out = tmp_path / "reel.mp4"

    call_command(
        "makereel",
        keyword,
        "--lang",
        language,
        "--duration",
        "10",
        "--profile",
        "preview",
        "--out",
        str(out),
    )

    report = media_qc(out, "preview")
    failed = [c for c in report["checks"] if c["status"] == "FAIL"]
    assert failed == []
    statuses = {c["name"]: c["status"] for c in report["checks"]}
    assert statuses["frame_rate"] == "PASS"  # clips join frame-exact: 30/1 on average too
    assert statuses["av_length"] == "PASS"
    story = Story.objects.get()
    assert story.status == Status.PREVIEW_READY
    assert story.preview is not None
    assert not story.is_locked
    assert out.with_suffix(".jpg").stat().st_size > 1000
    srt = out.with_suffix(".srt").read_text(encoding="utf-8")
    assert "-->" in srt
    if language == "ko":
        assert any("\uac00" <= ch <= "\ud7a3" for ch in srt)
    caption = out.with_suffix(".txt").read_text(encoding="utf-8")
    assert caption.count("#") >= 5


@pytest.mark.parametrize(
    ("aspect", "size", "caption"), [("16:9", (960, 540), "bold"), ("1:1", (540, 540), "karaoke")]
)
def test_makereel_renders_other_aspects_with_their_layout_and_writes_scene_frames(
    tmp_path, aspect, size, caption
):
    out = tmp_path / "reel.mp4"

    call_command(
        "makereel",
        "morning coffee ritual",
        "--lang",
        "en",
        "--duration",
        "8",
        "--aspect",
        aspect,
        "--caption-style",
        caption,
        "--profile",
        "preview",
        "--out",
        str(out),
        "--frames",
        str(tmp_path / "frames"),
    )

    report = media_qc(out, "preview", aspect)
    assert [c for c in report["checks"] if c["status"] == "FAIL"] == []
    story = Story.objects.get()
    assert (story.aspect, story.caption_style) == (aspect, caption)
    assert (story.preview.width, story.preview.height) == size
    frames = sorted((tmp_path / "frames").glob("scene-*.png"))
    assert len(frames) == story.scenes.count()
    for frame in frames:
        with Image.open(frame) as image:
            assert image.size == size


def test_editing_one_scene_rerenders_only_that_scene(tmp_path, monkeypatch):
    call_command(
        "makereel",
        "quiet library",
        "--lang",
        "en",
        "--duration",
        "12",
        "--profile",
        "preview",
        "--out",
        str(tmp_path / "first.mp4"),
    )
    story = Story.objects.get()
    scenes = list(story.scenes.order_by("position"))
    steps: list[str] = []
    real_run = runner.run_ffmpeg

    def counting_run(argv, *, step, **kwargs):
        steps.append(step)
        return real_run(argv, step=step, **kwargs)

    monkeypatch.setattr(runner, "run_ffmpeg", counting_run)

    update_scene(scene_id=scenes[1].pk, narration="Whispers turn into stories here.")
    pipeline.generate_preview(story_id=story.pk, inline=True)
    inline.run_inline(story_id=story.pk)

    story.refresh_from_db()
    assert story.status == Status.PREVIEW_READY
    scene_renders = [s for s in steps if s.startswith("scene") and not s.endswith(" canvas")]
    assert scene_renders == ["scene 1"]  # zero-based index 1: the edited scene only
    assert "assemble" in steps
    new_jobs = Job.objects.filter(story=story, kind=Job.Kind.VOICE)
    assert new_jobs.count() == len(scenes) + 1  # one more voice job, for the edited scene


def test_not_an_image_fails_the_story_and_keeps_the_brief(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    (images / "photo.png").write_text("this is not a picture")

    with pytest.raises(CommandError, match=r"photo\.png"):
        call_command(
            "makereel",
            "bakery",
            "--lang",
            "en",
            "--images",
            str(images),
            "--out",
            str(tmp_path / "x.mp4"),
        )

    story = Story.objects.get()
    assert story.status == Status.FAILED
    assert story.error_code == "INVALID_REQUEST"
    assert "photo.png" in story.error_message
    assert story.keyword == "bakery"


def test_corrupt_music_is_refused(tmp_path):
    music = tmp_path / "song.mp3"
    music.write_bytes(b"ID3" + b"\x00garbage" * 100)

    with pytest.raises(CommandError, match=r"song\.mp3"):
        call_command(
            "makereel",
            "bakery",
            "--lang",
            "en",
            "--music",
            str(music),
            "--out",
            str(tmp_path / "x.mp4"),
        )

    assert Story.objects.get().status == Status.FAILED


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "--lang", "en"], "keyword"),
        (["x" * 2000, "--lang", "en"], "keyword"),
        (["coffee", "--lang", "fr"], "language"),
        (["coffee", "--duration", "3"], "duration_s"),
        (["coffee", "--duration", "181"], "duration_s"),
        (["coffee", "--aspect", "4:3"], "aspect"),
    ],
)
def test_bad_brief_is_refused_before_any_work(tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("makereel", *args, "--out", str(tmp_path / "x.mp4"))

    assert not Story.objects.exists()


def test_missing_font_fails_the_render_step_with_what_to_do(tmp_path, monkeypatch):
    from render import fonts, scene_clips

    def no_font(*, bold=True, family=None):
        raise fonts.FontMissing("Noto Sans CJK KR:weight=bold")

    monkeypatch.setattr(scene_clips, "font_path", no_font)

    with pytest.raises(CommandError, match="fonts-noto-cjk"):
        call_command(
            "makereel",
            "tea",
            "--lang",
            "en",
            "--duration",
            "8",
            "--profile",
            "preview",
            "--out",
            str(tmp_path / "x.mp4"),
        )

    story = Story.objects.get()
    assert story.status == Status.FAILED
    assert story.error_message.startswith("Scene render step failed")
    assert story.scenes.count() == 3  # the 8 s plan and assets made before are kept
    assert all(scene.voice_id for scene in story.scenes.all())


def test_missing_ffmpeg_fails_with_install_hint(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")

    with pytest.raises(CommandError, match="install ffmpeg"):
        call_command(
            "makereel",
            "tea",
            "--lang",
            "ko",
            "--duration",
            "8",
            "--profile",
            "preview",
            "--out",
            str(tmp_path / "x.mp4"),
        )

    assert Story.objects.get().status == Status.FAILED


def test_reels_made_on_the_machine_are_never_refused_for_a_quota(tmp_path):
    # The command's own user is staff (the operator): a free plan with no reel left and a
    # shorter longest reel than asked does not stop it; its final is still counted.
    Plan.objects.filter(code="free").update(reels_per_month=0, max_duration_s=5)
    out = tmp_path / "reel.mp4"

    call_command(
        "makereel", "rooftop herb garden", "--lang", "en", "--duration", "8",
        "--profile", "final", "--out", str(out),
    )  # fmt: skip

    user = get_user_model().objects.get(username="makereel")
    assert user.is_staff
    assert not user.has_usable_password()
    assert Story.objects.get(owner=user).status == Status.COMPLETED
    assert media_qc(out, "final")["status"] != "FAIL"
    assert billing_services.reels_this_month(user=user) == 1

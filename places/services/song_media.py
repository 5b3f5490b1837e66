"""A song reel's lyric video as its story's media, as a narrated reel's assembly leaves them:
the story's preview or final, a thumbnail, and captions (SubRip and WebVTT, the same pages as
the burned-in lyric captions), so downloads, the reel page and publishing find them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.utils import timezone

from media.models import Asset
from media.services import save_asset
from places.models import SongReel
from render.assembly import write_subtitles, write_thumbnail
from render.profiles import RenderProfile
from render.scene_clips import SceneClipSpec
from stories.models import Story

THUMBNAIL_AT_S = 1.0


def attach_to_story(
    *,
    reel: SongReel,
    video_path: Path,
    specs: Sequence[SceneClipSpec],
    profile: RenderProfile,
    final: bool,
    work: Path,
) -> None:
    """Make the reel's stored video its story's final (or preview), with a thumbnail and the
    captions written from the lyric video's scenes."""
    if reel.story is None or reel.video is None:
        return
    thumb = write_thumbnail(
        clip_path=video_path, out_path=work / "thumbnail.jpg", at_s=THUMBNAIL_AT_S
    )
    srt, vtt = write_subtitles(
        specs=specs, srt_path=work / "captions.srt", vtt_path=work / "captions.vtt", profile=profile
    )
    files = {
        "thumbnail": (thumb, Asset.Kind.THUMBNAIL, "image/jpeg"),
        "captions_srt": (srt, Asset.Kind.SUBTITLE, "application/x-subrip"),
        "captions_vtt": (vtt, Asset.Kind.SUBTITLE, "text/vtt"),
    }
    fields: dict = {"final" if final else "preview": reel.video}
    for field, (path, kind, mime) in files.items():
        fields[field] = save_asset(
            owner=reel.owner, story=reel.story, kind=kind, path=path, mime_type=mime
        )
    Story.objects.filter(pk=reel.story.pk).update(**fields, updated_at=timezone.now())

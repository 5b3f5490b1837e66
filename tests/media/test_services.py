import io
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from media.models import Asset
from media.services import UPLOAD_PROVIDER, UploadTooLarge, save_asset, store_upload
from reelmaker.errors import InvalidRequest, PlanLocked
from tests.factories import StoryFactory


@pytest.mark.django_db
def test_same_bytes_from_same_source_reuse_one_asset_but_another_source_keeps_its_credit(
    tmp_path,
):
    story = StoryFactory()
    picture = tmp_path / "photo.jpg"
    picture.write_bytes(b"\xff\xd8 same bytes \xff\xd9")

    def save(provider, credit):
        return save_asset(
            owner=story.owner,
            story=story,
            kind=Asset.Kind.IMAGE,
            path=picture,
            mime_type="image/jpeg",
            source_provider=provider,
            attribution=credit,
            source_url=f"https://{provider}.example/photo",
        )

    first = save("pexels", "Photo by A on Pexels")
    again = save("pexels", "Photo by A on Pexels")
    other = save("unsplash", "Photo by B on Unsplash")

    assert again.pk == first.pk
    assert other.pk != first.pk
    assert other.attribution == "Photo by B on Unsplash"
    assert Asset.objects.filter(story=story).count() == 2


def png_file(tmp_path: Path, name: str = "photo.png", width: int = 64, height: int = 48) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, "PNG")
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path


def store_path(path: Path, **kwargs) -> Asset:
    """How `makereel` stores a file of the user's: through the same service as the API."""
    with path.open("rb") as fh:
        return store_upload(file=File(fh, name=path.name), **kwargs)


@pytest.mark.django_db
def test_a_file_from_disk_and_the_same_bytes_uploaded_give_one_asset_with_the_same_fields(
    tmp_path,
):
    story = StoryFactory()
    path = png_file(tmp_path, name="Photo.PNG")

    from_disk = store_path(path, owner=story.owner, story=story, expect=("image", "clip"))
    uploaded = store_upload(
        owner=story.owner,
        file=SimpleUploadedFile("other-name.png", path.read_bytes()),
        story=story,
        expect=("image",),
    )

    assert uploaded.pk == from_disk.pk
    assert (from_disk.kind, from_disk.mime_type, from_disk.width, from_disk.height) == (
        Asset.Kind.IMAGE,
        "image/png",
        64,
        48,
    )
    assert from_disk.source_provider == UPLOAD_PROVIDER
    assert from_disk.duration_ms is None
    assert from_disk.file.name.endswith(".png")


@pytest.mark.django_db
def test_a_file_of_another_kind_is_refused_naming_it_and_nothing_is_stored(tmp_path):
    story = StoryFactory()

    with pytest.raises(InvalidRequest) as refused:
        store_path(png_file(tmp_path, name="song.mp3"), owner=story.owner, story=story,
                   expect=("music",))  # fmt: skip

    assert "song.mp3" in str(refused.value)
    assert refused.value.details == {"expected": "music", "found": "image"}
    assert not Asset.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_upload_limit_is_refused_from_disk_too(tmp_path, settings):
    settings.UPLOAD_MAX_BYTES = 100
    story = StoryFactory()

    with pytest.raises(UploadTooLarge) as refused:
        store_path(png_file(tmp_path, width=400, height=400), owner=story.owner, story=story)

    assert refused.value.http_status == 413
    assert refused.value.details == {"max_bytes": 100}
    assert not Asset.objects.exists()


@pytest.mark.django_db
def test_a_locked_plan_takes_no_upload(tmp_path):
    story = StoryFactory(is_locked=True)

    with pytest.raises(PlanLocked):
        store_path(png_file(tmp_path), owner=story.owner, story=story)

    assert not Asset.objects.exists()

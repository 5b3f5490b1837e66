import pytest

from media.models import Asset
from media.services import save_asset
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

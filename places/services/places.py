"""Places: made by a form or a JSON import, with photos uploaded or fetched from URLs.

Photo URLs go through providers.http.download (the SSRF guard, pinned addresses, a size cap
and a deadline), then through the same content checks as any upload (media.services)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from media import services as media_services
from media.models import Asset
from places.models import Place, PlacePhoto
from providers import http
from providers.base import ProviderError
from providers.writer.song_lyrics import PlaceFacts
from reelmaker.errors import InvalidRequest

MAX_PHOTOS = 20
EDITABLE_FIELDS = (
    "name",
    "category",
    "region",
    "detail",
    "address",
    "phone",
    "description",
    "facilities",
    "offer",
    "language",
)


def create_place(*, owner, data: dict, source: str = Place.Source.MANUAL) -> Place:
    """A new place from validated fields (the API's serializer checks them)."""
    fields = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    return Place.objects.create(
        owner=owner, source=source, source_id=data.get("source_id", ""), **fields
    )


def update_place(*, place: Place, data: dict) -> Place:
    for key, value in data.items():
        if key in EDITABLE_FIELDS:
            setattr(place, key, value)
    place.save()
    return place


@transaction.atomic
def import_places(*, owner, items: list[dict]) -> list[Place]:
    """Create or update places from validated JSON items, all or none. An item with a
    `source_id` updates the owner's place imported with the same one."""
    places = []
    for item in items:
        source_id = item.get("source_id", "")
        existing = (
            Place.objects.filter(owner=owner, source=Place.Source.JSON, source_id=source_id).first()
            if source_id
            else None
        )
        if existing is not None:
            places.append(update_place(place=existing, data=item))
        else:
            places.append(create_place(owner=owner, data=item, source=Place.Source.JSON))
    return places


def _next_position(place: Place) -> int:
    if place.photos.count() >= MAX_PHOTOS:
        raise InvalidRequest(
            _("A place has at most %(count)d photos.") % {"count": MAX_PHOTOS},
            details={"max_photos": MAX_PHOTOS},
        )
    last = place.photos.order_by("-position").first()
    return (last.position + 1) if last else 0


def add_photo_upload(*, place: Place, file: File) -> PlacePhoto:
    """Check an uploaded file is an image by its content and add it to the place."""
    position = _next_position(place)
    asset = media_services.store_upload(owner=place.owner, file=file, expect=("image",))
    return PlacePhoto.objects.create(place=place, asset=asset, position=position)


def add_photo_asset(*, place: Place, asset: Asset) -> PlacePhoto:
    """Add an image the owner already uploaded (media.services.store_upload checked it)."""
    if asset.owner_id != place.owner_id or asset.kind != Asset.Kind.IMAGE:
        raise InvalidRequest(_("Only your own uploaded images can be added."))
    position = _next_position(place)
    return PlacePhoto.objects.create(place=place, asset=asset, position=position)


def add_photo_url(*, place: Place, url: str) -> PlacePhoto:
    """Fetch a photo from a public http(s) URL (never a private address) and add it."""
    position = _next_position(place)
    with tempfile.TemporaryDirectory(prefix="place-photo-") as tmp:
        path = Path(tmp) / "photo"
        try:
            http.download(url, out_path=path, provider="photo URL")
        except ProviderError as exc:
            raise InvalidRequest(
                _("The photo at this URL could not be fetched: %(reason)s")
                % {"reason": exc.message},
                details={"url": url},
            ) from None
        with path.open("rb") as fh:
            asset = media_services.store_upload(
                owner=place.owner, file=File(fh, name=Path(url).name or "photo"), expect=("image",)
            )
    if not asset.source_url:
        asset.source_url = url[:500]
        asset.save(update_fields=["source_url"])
    return PlacePhoto.objects.create(place=place, asset=asset, source_url=url, position=position)


def photo_paths(place: Place, workdir: Path) -> list[Path]:
    """Local copies of the place's photos, in order."""
    return [media_services.local_copy(p.asset, workdir) for p in place.photos.all()]


def place_facts(place: Place) -> PlaceFacts:
    """What the lyrics sing about."""
    facilities = [str(f).strip() for f in place.facilities if str(f).strip()]
    return PlaceFacts(
        name=place.name,
        region=place.region,
        category=place.category,
        feature=facilities[0] if facilities else "",
        offer=place.offer,
    )

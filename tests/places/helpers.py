"""Places in six languages and small photos, shared by the song reel tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

PLACES = {
    "ko": {"name": "바다정원", "region": "강릉", "offer": "오픈 기념 10% 할인"},
    "en": {"name": "Harbor Bean", "region": "Busan", "offer": "2-for-1 lattes"},
    "zh": {"name": "海风咖啡", "region": "厦门", "offer": "开业九折"},
    "ja": {"name": "うみかぜカフェ", "region": "かまくら", "offer": "オープン記念10%オフ"},
    "th": {"name": "บ้านทะเล", "region": "หัวหิน", "offer": "ลด 10%"},
    "vi": {"name": "Quán Gió Biển", "region": "Đà Nẵng", "offer": "Giảm 10% tuần đầu"},
}
COLOURS = [(200, 120, 80), (60, 120, 200), (80, 180, 120)]


def photo_bytes(index: int, size: tuple[int, int] = (540, 960)) -> bytes:
    """A JPEG with a pattern (a flat colour would read as a frozen picture in QC)."""
    colour = COLOURS[index % len(COLOURS)]
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    for k in range(14):
        x, y = 40 * k, 70 * k
        draw.ellipse([x, y, x + 160, y + 160], fill=(colour[2], colour[0], colour[1]))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def photo_upload(index: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"photo{index}.jpg", photo_bytes(index), content_type="image/jpeg")

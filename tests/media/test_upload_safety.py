import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from media.models import Asset
from render import inspection
from tests.media.test_api import UPLOADS, png_bytes, stored_files, upload, wav_file


@pytest.mark.django_db
def test_an_upload_named_html_is_stored_and_served_by_its_detected_type(api):
    content = png_bytes()

    response = upload(api, "page.html", content)

    assert response.status_code == 201, response.content
    asset = Asset.objects.get(pk=response.json()["id"])
    assert asset.file.name.endswith(".png")
    assert asset.mime_type == "image/png"
    download = APIClient().get(response.json()["url"])
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == f'inline; filename="reelmaker-image-{asset.pk}.png"'


@pytest.mark.django_db
def test_a_probe_that_runs_out_of_time_is_a_clean_400_and_stores_nothing(
    api, settings, monkeypatch, tmp_path
):
    content = wav_file(tmp_path)
    real_run = subprocess.run

    def slow_ffmpeg(command, *args, **kwargs):
        if command[0].endswith("ffmpeg"):
            raise subprocess.TimeoutExpired(command, kwargs.get("timeout") or 1)
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(inspection.subprocess, "run", slow_ffmpeg)

    response = upload(api, "tone.wav", content)

    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "INVALID_REQUEST"
    assert "too long" in response.json()["error"]["message"]
    assert Asset.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_uploads_past_the_users_storage_quota_are_413_and_store_nothing(api, settings):
    first, second = png_bytes(), png_bytes(width=80)
    settings.UPLOAD_QUOTA_BYTES = len(first) + len(second) - 1

    stored = upload(api, "a.png", first)
    refused = upload(api, "b.png", second)
    again = upload(api, "a-again.png", first)  # the same bytes take no more room

    assert stored.status_code == 201
    assert refused.status_code == 413, refused.content
    error = refused.json()["error"]
    assert error["code"] == "STORAGE_QUOTA_EXCEEDED"
    assert error["details"] == {
        "quota_bytes": settings.UPLOAD_QUOTA_BYTES,
        "used_bytes": len(first),
        "bytes": len(second),
    }
    assert again.status_code == 201
    assert again.json()["id"] == stored.json()["id"]
    assert Asset.objects.count() == 1


@pytest.mark.django_db
def test_another_users_uploads_do_not_count_against_my_quota(api, settings, other_api):
    content = png_bytes()
    settings.UPLOAD_QUOTA_BYTES = len(content) + 10
    other_api.post(
        UPLOADS, {"file": SimpleUploadedFile("theirs.png", png_bytes(width=90))}, format="multipart"
    )

    response = upload(api, "mine.png", content)

    assert response.status_code == 201, response.content

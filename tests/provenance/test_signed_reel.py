"""Every assembled reel carries a C2PA manifest that marks it AI-generated and lists what it
uses; the signed file still passes the product's own QC (checkreel) and keeps faststart."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from media.services import save_asset
from provenance.certificates import make_chain
from provenance.models import LicenceEntry
from provenance.signing import COMPOSITE, LEDGER_LABEL, read_manifest, sign_reel
from render.qc_measure import read_top_level_boxes
from render.runner import RenderError
from scenes.services import rendering
from stories.models import Story
from tests.factories import SceneFactory, StoryFactory
from tests.scenes.render_fixtures import make_clip, make_music, make_still, make_tone, timed_words

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def signing_files(settings, tmp_path):
    chain, key, _root = make_chain("reelmaker test signer")
    (tmp_path / "chain.pem").write_bytes(chain)
    (tmp_path / "key.pem").write_bytes(key)
    settings.C2PA_SIGN_CERT_FILE = str(tmp_path / "chain.pem")
    settings.C2PA_SIGN_KEY_FILE = str(tmp_path / "key.pem")
    settings.C2PA_ENABLED = True


@pytest.fixture
def story(settings, tmp_path):
    settings.WORK_DIR = tmp_path / "work"
    settings.RENDER_ENCODER = "libx264"
    story = StoryFactory(language="ko", style="modern", duration_s=5, title="아침 커피")
    for position in range(2):
        SceneFactory(
            story=story,
            position=position,
            narration="one two",
            duration_ms=2000,
            word_timings=[w.to_json() for w in timed_words("one two")],
            visual=save_asset(
                owner=story.owner,
                story=story,
                kind="image",
                path=make_still(tmp_path / f"s{position}.png", seed=position),
                mime_type="image/png",
                source_provider="pexels",
                licence="Pexels License (free to use, credit appreciated)",
                attribution=f"Photo by Someone {position} on Pexels",
            ),
            voice=save_asset(
                owner=story.owner,
                story=story,
                kind="audio",
                path=make_tone(tmp_path / f"v{position}.wav", seconds=0.8, freq=300),
                mime_type="audio/wav",
                source_provider="espeak",
                duration_ms=800,
            ),
        )
    save_asset(
        owner=story.owner,
        story=story,
        kind="music",
        path=make_music(tmp_path / "m.wav", seconds=8),
        mime_type="audio/wav",
        source_provider="upload",
    )
    return story


@pytest.fixture
def previewed(story, signing_files):
    for scene in story.scenes.order_by("position"):
        rendering.render_scene(scene_id=scene.pk, profile="preview")
    rendering.assemble_story(story_id=story.pk, profile="preview")
    return Story.objects.select_related("preview").get(pk=story.pk)


def test_the_preview_carries_a_manifest_marking_it_ai_generated(previewed):
    path = previewed.preview.file.path

    manifest = read_manifest(path)

    assert manifest is not None
    actions = next(a for a in manifest["assertions"] if a["label"] == "c2pa.actions.v2")
    created = actions["data"]["actions"][0]
    assert created["action"] == "c2pa.created"
    # Stock photos and an upload beside the synthetic parts: a composite.
    assert created["digitalSourceType"] == COMPOSITE
    ledger = next(a for a in manifest["assertions"] if a["label"] == LEDGER_LABEL)["data"]
    assert ledger["ai_generated"] is True
    assert ledger["providers"] == ["espeak", "pexels", "upload"]
    credits = [item["credit"] for item in ledger["assets"] if item["role"] == "visual"]
    assert credits == ["Photo by Someone 0 on Pexels", "Photo by Someone 1 on Pexels"]
    assert manifest["signature_info"]["common_name"] == "reelmaker test signer"
    # The chain is ours, not on a trust list: untrusted, but every hash and the signature hold.
    assert [s["code"] for s in manifest["validation_status"]] == ["signingCredential.untrusted"]


def test_the_signed_preview_still_passes_checkreel_with_faststart(previewed):
    path = previewed.preview.file.path

    call_command("checkreel", path, "--profile", "preview", "--duration", "5")  # raises on FAIL

    boxes, problem = read_top_level_boxes(path)
    kinds = [box.kind for box in boxes]
    assert problem == ""
    assert kinds.index("uuid") < kinds.index("moov") < kinds.index("mdat")


def test_the_preview_keeps_its_licence_ledger(previewed):
    rows = LicenceEntry.objects.filter(output=previewed.preview).order_by("id")

    assert [(r.role, r.position, r.source) for r in rows] == [
        ("visual", 1, "pexels"),
        ("voice", 1, "espeak"),
        ("visual", 2, "pexels"),
        ("voice", 2, "espeak"),
        ("music", None, "upload"),
    ]
    music = rows.get(role="music")
    assert music.allowed_uses == ["download"]  # an upload nobody confirmed yet


def _signing_usage():
    from provenance.certificates import _usage

    return _usage(sign=True)


def _self_signed(tmp_path):
    """A leaf with every property c2pa asks for, except an issuer: it signs itself."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "self")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_signing_usage(), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "self.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "self.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return tmp_path / "self.pem", tmp_path / "self.key"


def test_a_self_signed_certificate_is_refused_and_leaves_no_file(settings, tmp_path):
    cert, key = _self_signed(tmp_path)
    settings.C2PA_SIGN_CERT_FILE, settings.C2PA_SIGN_KEY_FILE = str(cert), str(key)
    source = make_clip(tmp_path / "in.mp4", seconds=1)
    out = tmp_path / "out.mp4"

    with pytest.raises(RenderError, match="C2PA signing failed"):
        sign_reel(path=source, manifest={"title": "x", "assertions": []}, out_path=out)

    assert not out.exists()


def test_only_one_of_the_two_signing_files_is_a_configuration_error(settings, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    settings.C2PA_SIGN_CERT_FILE, settings.C2PA_SIGN_KEY_FILE = str(tmp_path / "c.pem"), ""
    source = make_clip(tmp_path / "in.mp4", seconds=1)

    with pytest.raises(ImproperlyConfigured, match="C2PA_SIGN_KEY_FILE"):
        sign_reel(path=source, manifest={}, out_path=tmp_path / "out.mp4")


def test_with_signing_off_the_reel_is_left_as_it_is(settings, tmp_path):
    settings.C2PA_ENABLED = False
    source = make_clip(tmp_path / "in.mp4", seconds=1)

    result = sign_reel(path=source, manifest={}, out_path=tmp_path / "out.mp4")

    assert result == source
    assert read_manifest(source) is None

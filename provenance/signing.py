"""C2PA manifests (c2pa-python): every reel is signed right after assembly, recording that it
is AI-generated and what it is made of. The manifest goes in a `uuid` box ahead of `moov`, so
faststart and the media QC still hold."""

from __future__ import annotations

import json
from pathlib import Path

import c2pa
from django.conf import settings

from provenance.certificates import signing_credentials
from provenance.ledger import AI_SOURCES, ReelInput, licence_of
from render.runner import RenderError
from stories.models import Story

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED = IPTC + "trainedAlgorithmicMedia"
COMPOSITE = IPTC + "compositeWithTrainedAlgorithmicMedia"
LEDGER_LABEL = "org.reelmaker.licences"
GENERATOR = {"name": "reelmaker", "version": "0.1.0"}


def source_type(inputs: list[ReelInput]) -> str:
    """trainedAlgorithmicMedia when every input came from a trained model, else a composite."""
    if inputs and all(item.asset.source_provider in AI_SOURCES for item in inputs):
        return TRAINED
    return COMPOSITE


def manifest_for(*, story: Story, inputs: list[ReelInput], profile: str) -> dict:
    """The manifest definition: a `c2pa.created` action marked AI-generated, the providers
    used, and every input with its licence and credit."""
    providers = sorted({item.asset.source_provider or "unknown" for item in inputs})
    return {
        "claim_generator_info": [GENERATOR],
        "title": (story.title or story.keyword)[:200],
        "format": "video/mp4",
        "assertions": [
            {
                "label": "c2pa.actions.v2",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": source_type(inputs),
                            "softwareAgent": GENERATOR,
                            "description": "AI-generated short video",
                        }
                    ]
                },
            },
            {
                "label": LEDGER_LABEL,
                "data": {
                    "ai_generated": True,
                    "profile": profile,
                    "language": story.language,
                    "providers": providers,
                    "assets": [
                        {
                            "role": item.role,
                            "scene": item.position,
                            "source": item.asset.source_provider or "unknown",
                            "licence": licence_of(item.asset),
                            "credit": item.asset.attribution,
                            "source_url": item.asset.source_url,
                        }
                        for item in inputs
                    ],
                },
            },
        ],
    }


def sign_reel(*, path: Path, manifest: dict, out_path: Path) -> Path:
    """`path` signed with `manifest` into `out_path` (returned); `path` itself when C2PA_ENABLED
    is off. Raises RenderError("sign") when c2pa refuses the credentials or the file."""
    if not settings.C2PA_ENABLED:
        return path
    credentials = signing_credentials()
    try:
        info = c2pa.C2paSignerInfo(
            credentials.alg.encode(),
            credentials.chain_pem,
            credentials.key_pem,
            settings.C2PA_TSA_URL or None,
        )
        with (
            c2pa.Signer.from_info(info) as signer,
            c2pa.Builder(manifest) as builder,
            path.open("rb") as source,
            out_path.open("w+b") as dest,
        ):
            builder.sign(signer, "video/mp4", source, dest)
    except c2pa.C2paError as exc:
        out_path.unlink(missing_ok=True)
        raise RenderError("sign", f"C2PA signing failed: {exc}; check C2PA_SIGN_*") from None
    return out_path


def read_manifest(path: Path | str) -> dict | None:
    """The active manifest of `path` as a dict (with "validation_status"), None when unsigned."""
    try:
        with Path(path).open("rb") as fh, c2pa.Reader("video/mp4", fh) as reader:
            store = json.loads(reader.json())
    except c2pa.C2paError:
        return None
    active = store.get("manifests", {}).get(store.get("active_manifest", ""))
    if active is None:
        return None
    return {**active, "validation_status": store.get("validation_status", [])}

"""What assembly calls: sign the reel it made, then keep the ledger beside the stored reel."""

from __future__ import annotations

from pathlib import Path

from media.models import Asset
from provenance.ledger import ReelInput, record_ledger, reel_inputs
from provenance.signing import manifest_for, sign_reel
from stories.models import Story


def sign_story_reel(*, story: Story, path: Path, profile: str) -> tuple[Path, list[ReelInput]]:
    """(the signed reel beside `path`, the inputs its manifest lists). Raises RenderError."""
    inputs = reel_inputs(story)
    manifest = manifest_for(story=story, inputs=inputs, profile=profile)
    signed = sign_reel(path=path, manifest=manifest, out_path=path.with_name(f"signed-{path.name}"))
    return signed, inputs


def keep_ledger(*, output: Asset, inputs: list[ReelInput]) -> None:
    """The stored reel's licence ledger, from the inputs it was signed with. Safe to repeat."""
    record_ledger(output=output, inputs=inputs)

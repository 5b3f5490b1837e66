"""What scenes do: store assets, make each scene's visual and voice, the story's music, and
render clips and reels. Split by sub-domain; import the verbs from here."""

from media.services import local_copy, save_asset
from scenes.services.media import make_scene_visual, make_scene_voice, make_story_music
from scenes.services.rendering import assemble_story, render_scene

__all__ = [
    "assemble_story",
    "local_copy",
    "make_scene_visual",
    "make_scene_voice",
    "make_story_music",
    "render_scene",
    "save_asset",
]

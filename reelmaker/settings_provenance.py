"""Publishing rules, post text limits, provenance signing and rights settings (part of
reelmaker.settings, which imports everything here; see README "Provenance and rights")."""

from __future__ import annotations

from reelmaker.env import env_bool, env_int, env_list, env_str

# Per platform: what its upload API takes (checked before an upload by
# provenance.platform_rules) and what its post text may hold (provenance.seo).
# Sources: YouTube Shorts up to 3 min, title 100 chars, description 5000 bytes, more than 60
# hashtags and YouTube ignores them all (15 is what it shows); Instagram Graph API Reels
# 3 s-15 min, 300 MB, H.264/HEVC + AAC, 23-60 fps, caption 2200 chars with at most 30
# hashtags; TikTok Content Posting API up to 10 min (a creator's own cap can be lower), 4 GB,
# H.264/H.265/VP8, 23-60 fps, title 2200 characters with the hashtags inside it.
PLATFORM_RULES: dict[str, dict] = {
    "youtube": {
        "min_duration_s": 1,
        "max_duration_s": env_int("YOUTUBE_SHORTS_MAX_S", 180, minimum=1),
        "max_bytes": env_int("YOUTUBE_MAX_BYTES", 256 * 1024**3, minimum=1),
        "aspects": ["9:16", "1:1"],
        "video_codecs": ["h264", "hevc", "vp9", "av1"],
        "audio_codecs": ["aac", "opus", "mp3"],
        "min_fps": 24,
        "max_fps": 60,
        "title_max_chars": 100,
        "description_max_chars": 5000,
        "hashtags_max": 15,
        "hashtags_in_title": False,
    },
    "instagram": {
        "min_duration_s": 3,
        "max_duration_s": env_int("INSTAGRAM_REELS_MAX_S", 900, minimum=1),
        "max_bytes": env_int("INSTAGRAM_MAX_BYTES", 300 * 1024**2, minimum=1),
        "aspects": ["9:16", "4:5", "1:1"],
        "video_codecs": ["h264", "hevc"],
        "audio_codecs": ["aac"],
        "min_fps": 23,
        "max_fps": 60,
        "title_max_chars": 0,  # a Reel has no title: the caption is everything
        "description_max_chars": 2200,
        "hashtags_max": 30,
        "hashtags_in_title": False,
    },
    "tiktok": {
        "min_duration_s": 3,
        "max_duration_s": env_int("TIKTOK_MAX_S", 600, minimum=1),
        "max_bytes": env_int("TIKTOK_MAX_BYTES", 4 * 1024**3, minimum=1),
        "aspects": ["9:16", "1:1", "16:9"],
        "video_codecs": ["h264", "hevc", "vp8"],
        "audio_codecs": ["aac", "mp3", "opus"],
        "min_fps": 23,
        "max_fps": 60,
        "title_max_chars": 2200,
        "description_max_chars": 0,  # TikTok has one text: the title, hashtags included
        "hashtags_max": 30,
        "hashtags_in_title": True,
    },
}

# Provenance: every preview and final carries a C2PA manifest (c2pa-python). The signing
# certificate chain (PEM, leaf first) and its private key come from files; with none set a
# chain made in this process signs, which c2pa accepts but no validator trusts.
C2PA_ENABLED = env_bool("C2PA_ENABLED", True)
C2PA_SIGN_CERT_FILE = env_str("C2PA_SIGN_CERT_FILE")
C2PA_SIGN_KEY_FILE = env_str("C2PA_SIGN_KEY_FILE")
C2PA_SIGN_ALG = env_str("C2PA_SIGN_ALG", "es256")
C2PA_TSA_URL = env_str("C2PA_TSA_URL")  # RFC 3161 time-stamp authority; empty: none
# A visible "AI generated" / "AI 생성" label in the frame, unless a story says otherwise.
AI_LABEL_DEFAULT = env_bool("AI_LABEL_DEFAULT", False)

# Rights: uploads of these kinds may be published only once their owner confirms the right
# to use them (POST /api/v1/uploads/{asset_id}/confirm_rights/).
RIGHTS_CONFIRM_UPLOAD_KINDS = env_list("RIGHTS_CONFIRM_UPLOAD_KINDS", ["music"])

"""Rendering and provider settings, read from the environment (part of reelmaker.settings,
which imports everything here; see README "Settings" and "Providers")."""

from __future__ import annotations

from reelmaker.env import env_bool, env_choice, env_int, env_list, env_str

# Rendering.
RENDER_ENCODER = env_choice("RENDER_ENCODER", "", ("", "libx264", "h264_nvenc"))
RENDER_WORKERS = env_int("RENDER_WORKERS", 2, minimum=1, maximum=64)
# Every FFmpeg run is stopped past max(MIN, seconds of media x PER_MEDIA) seconds.
RENDER_TIMEOUT_MIN_S = env_int("RENDER_TIMEOUT_MIN_S", 120, minimum=1)
RENDER_TIMEOUT_PER_MEDIA_S = env_int("RENDER_TIMEOUT_PER_MEDIA_S", 20, minimum=1)
FFMPEG_BIN = env_str("FFMPEG_BIN", "ffmpeg")
FFPROBE_BIN = env_str("FFPROBE_BIN", "ffprobe")

# Providers: offline by default (see README "Providers").
REELMAKER_WRITER = env_str("REELMAKER_WRITER", "template")
REELMAKER_VOICE = env_str("REELMAKER_VOICE", "offline")
# Speech recognition that checks the words of a practice take ("openai"); empty: not checked.
REELMAKER_ASR = env_str("REELMAKER_ASR", "")
REELMAKER_VISUALS = env_list("REELMAKER_VISUALS", ["artwork"])

# Writer: OpenAI or any OpenAI-compatible server (vLLM, Ollama, llama.cpp) by base URL.
OPENAI_API_KEY = env_str("OPENAI_API_KEY")
OPENAI_BASE_URL = env_str("OPENAI_BASE_URL")  # empty: https://api.openai.com/v1
OPENAI_WRITER_MODEL = env_str("OPENAI_WRITER_MODEL", "gpt-4o-mini")
OPENAI_ASR_MODEL = env_str("OPENAI_ASR_MODEL", "whisper-1")
OPENAI_TIMEOUT_S = env_int("OPENAI_TIMEOUT_S", 60, minimum=1, maximum=600)
# Voice: ElevenLabs text-to-speech with timestamps.
ELEVENLABS_API_KEY = env_str("ELEVENLABS_API_KEY")
ELEVENLABS_BASE_URL = env_str("ELEVENLABS_BASE_URL")  # empty: https://api.elevenlabs.io
ELEVENLABS_MODEL_ID = env_str("ELEVENLABS_MODEL_ID", "eleven_multilingual_v2")
ELEVENLABS_VOICE_ID = env_str("ELEVENLABS_VOICE_ID", "JBFqnCBsd6RMkjVDRZzb")  # "George"
ELEVENLABS_TIMEOUT_S = env_int("ELEVENLABS_TIMEOUT_S", 60, minimum=1, maximum=600)
# Visuals: stock photos/clips and generated images, tried per scene in REELMAKER_VISUALS
# order (or AIProviderConfig rows), each on only when its key is set; artwork is the fallback.
PEXELS_API_KEY = env_str("PEXELS_API_KEY")
PEXELS_BASE_URL = env_str("PEXELS_BASE_URL", "https://api.pexels.com")
UNSPLASH_ACCESS_KEY = env_str("UNSPLASH_ACCESS_KEY")
UNSPLASH_BASE_URL = env_str("UNSPLASH_BASE_URL", "https://api.unsplash.com")
UNSPLASH_APP_NAME = env_str("UNSPLASH_APP_NAME", "reelmaker")  # utm_source of credit links
OPENAI_IMAGE_MODEL = env_str("OPENAI_IMAGE_MODEL", "gpt-image-1")
# Video clips for scenes that ask for motion (REELMAKER_VIDEO_SCENES: hook, all or none).
REELMAKER_VIDEO = env_list("REELMAKER_VIDEO", [])
REELMAKER_VIDEO_SCENES = env_choice("REELMAKER_VIDEO_SCENES", "hook", ("hook", "all", "none"))
GEMINI_API_KEY = env_str("GEMINI_API_KEY")
GEMINI_BASE_URL = env_str("GEMINI_BASE_URL")  # empty: https://generativelanguage.googleapis.com
GEMINI_VIDEO_MODEL = env_str("GEMINI_VIDEO_MODEL", "veo-3.0-generate-001")
RUNWAYML_API_SECRET = env_str("RUNWAYML_API_SECRET")
RUNWAYML_BASE_URL = env_str("RUNWAYML_BASE_URL")  # empty: https://api.dev.runwayml.com
RUNWAYML_VIDEO_MODEL = env_str("RUNWAYML_VIDEO_MODEL", "gen4.5")
OPENAI_VIDEO_MODEL = env_str("OPENAI_VIDEO_MODEL", "sora-2")
OPENAI_WEBHOOK_SECRET = env_str("OPENAI_WEBHOOK_SECRET")  # verifies Sora video.completed
VIDEO_POLL_FIRST_S = float(env_int("VIDEO_POLL_FIRST_MS", 5000, minimum=1)) / 1000
VIDEO_POLL_MAX_S = float(env_int("VIDEO_POLL_MAX_MS", 30000, minimum=1)) / 1000
VIDEO_POLL_DEADLINE_S = env_int("VIDEO_POLL_DEADLINE_S", 900, minimum=1)
# Songs for song reels: "chant" (offline sketch, default) or "suno" (a Suno-style gateway
# speaking sunoapi.org's API: generate, record-info, get-timestamped-lyrics).
REELMAKER_SONG = env_choice("REELMAKER_SONG", "chant", ("chant", "suno"))
SUNO_API_KEY = env_str("SUNO_API_KEY")
SUNO_BASE_URL = env_str("SUNO_BASE_URL", "https://api.sunoapi.org")
SUNO_MODEL = env_str("SUNO_MODEL", "V4_5")
# sunoapi.org requires a callback URL; we poll record-info, so any URL of ours will do.
SUNO_CALLBACK_URL = env_str("SUNO_CALLBACK_URL", "https://example.invalid/suno-callback")
SONG_POLL_FIRST_S = float(env_int("SONG_POLL_FIRST_MS", 5000, minimum=1)) / 1000
SONG_POLL_MAX_S = float(env_int("SONG_POLL_MAX_MS", 30000, minimum=1)) / 1000
SONG_POLL_DEADLINE_S = env_int("SONG_POLL_DEADLINE_S", 600, minimum=1)
# Place search (song reels): official local search APIs, tried in this order when their keys
# are set ("kakao", "naver"); empty: searching places is off (a 400 NOT_CONFIGURED says so).
# Kakao Local takes the app's REST API key (KAKAO_REST_API_KEY, shared with Kakao sign-in);
# Naver Local Search the Naver Developers app's client id and secret.
REELMAKER_PLACE_SEARCH = env_list("REELMAKER_PLACE_SEARCH", [])
KAKAO_LOCAL_BASE_URL = env_str("KAKAO_LOCAL_BASE_URL", "https://dapi.kakao.com")
NAVER_CLIENT_ID = env_str("NAVER_CLIENT_ID")
NAVER_CLIENT_SECRET = env_str("NAVER_CLIENT_SECRET")
NAVER_SEARCH_BASE_URL = env_str("NAVER_SEARCH_BASE_URL", "https://openapi.naver.com")
# Every provider call has a timeout; downloads of provider media are capped and SSRF-guarded.
PROVIDER_TIMEOUT_S = env_int("PROVIDER_TIMEOUT_S", 60, minimum=1, maximum=600)
# The whole call (connect, send, every read of the answer) ends after this many seconds, however
# slowly the provider trickles bytes; PROVIDER_TIMEOUT_S bounds each single wait within it.
PROVIDER_DEADLINE_S = env_int("PROVIDER_DEADLINE_S", 300, minimum=1, maximum=3600)
PROVIDER_MAX_DOWNLOAD_BYTES = env_int("PROVIDER_MAX_DOWNLOAD_BYTES", 100 * 1024 * 1024, minimum=1)
PROVIDER_ATTEMPTS = env_int("PROVIDER_ATTEMPTS", 2, minimum=1, maximum=10)  # per visual provider
PROVIDER_RETRY_AFTER_MAX_S = env_int("PROVIDER_RETRY_AFTER_MAX_S", 10, minimum=0)
FETCH_ALLOW_PRIVATE_URLS = env_bool("FETCH_ALLOW_PRIVATE_URLS", False)  # tests, trusted setups

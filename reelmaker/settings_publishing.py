"""Publishing and social sign-in settings, read from the environment (part of
reelmaker.settings, which imports everything here; see README "Publishing").

A platform is on only when its app's id and secret are set and PUBLISH_TOKEN_KEYS holds a
key to encrypt its tokens: with none, publishing is refused with a message naming these.
The *_URL settings exist for local servers in tests and for proxies; their defaults are the
platforms' documented endpoints.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from reelmaker.env import env_int, env_list, env_str

# Fernet keys (urlsafe base64, 32 bytes each), newest first: tokens are encrypted with the
# first and read with any, so a key is rotated by putting a new one in front.
PUBLISH_TOKEN_KEYS = env_list("PUBLISH_TOKEN_KEYS", [])
# A token that expires within this many seconds is refreshed before it is used.
PUBLISH_TOKEN_REFRESH_LEAD_S = env_int("PUBLISH_TOKEN_REFRESH_LEAD_S", 300, minimum=0)
PUBLISH_TIMEOUT_S = env_int("PUBLISH_TIMEOUT_S", 60, minimum=1, maximum=600)
# Resumable uploads send the file in chunks of this size (YouTube wants multiples of 256 KiB;
# TikTok wants 5-64 MB chunks except the last, and one chunk for files under 5 MB).
PUBLISH_CHUNK_BYTES = env_int("PUBLISH_CHUNK_BYTES", 8 * 1024 * 1024, minimum=256 * 1024)
if PUBLISH_CHUNK_BYTES % (256 * 1024):
    raise ImproperlyConfigured("PUBLISH_CHUNK_BYTES must be a multiple of 262144 (256 KiB).")
# Instagram containers and TikTok posts are processed after the upload: polled this often,
# for at most this long.
PUBLISH_POLL_S = float(env_int("PUBLISH_POLL_MS", 5000, minimum=1)) / 1000
PUBLISH_POLL_DEADLINE_S = env_int("PUBLISH_POLL_DEADLINE_S", 600, minimum=1)
PUBLISH_MAX_ATTEMPTS = env_int("PUBLISH_MAX_ATTEMPTS", 5, minimum=1, maximum=20)
# Where the platforms send the user back after consent (registered with each app):
# {SITE_URL}/api/v1/linked-accounts/callback/ unless set.
OAUTH_REDIRECT_URL = env_str("OAUTH_REDIRECT_URL")
# Where Google and Kakao send a user back after "Sign in with ..." (registered with each app):
# the studio's {SITE_URL}/auth/social/<provider>/ unless set (another frontend's page posts the
# code and state to /api/v1/auth/social/complete/).
SOCIAL_REDIRECT_BASE_URL = env_str("SOCIAL_REDIRECT_BASE_URL").rstrip("/")
OAUTH_STATE_TTL_S = env_int("OAUTH_STATE_TTL_S", 600, minimum=30)

# Google: YouTube uploads (youtube.upload) and "Sign in with Google" share one OAuth client.
GOOGLE_CLIENT_ID = env_str("GOOGLE_CLIENT_ID")
GOOGLE_CLIENT_SECRET = env_str("GOOGLE_CLIENT_SECRET")
GOOGLE_AUTHORIZE_URL = env_str(
    "GOOGLE_AUTHORIZE_URL", "https://accounts.google.com/o/oauth2/v2/auth"
)
GOOGLE_TOKEN_URL = env_str("GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token")
GOOGLE_REVOKE_URL = env_str("GOOGLE_REVOKE_URL", "https://oauth2.googleapis.com/revoke")
# "Sign in with Google" trusts only an ID token signed by one of these keys (JWKS), cached for
# as long as Google's Cache-Control says, at most this many seconds.
GOOGLE_JWKS_URL = env_str("GOOGLE_JWKS_URL", "https://www.googleapis.com/oauth2/v3/certs")
GOOGLE_JWKS_CACHE_S = env_int("GOOGLE_JWKS_CACHE_S", 3600, minimum=0)
YOUTUBE_API_URL = env_str("YOUTUBE_API_URL", "https://www.googleapis.com").rstrip("/")

# Meta: Instagram professional accounts through Facebook Login (instagram_content_publish).
META_APP_ID = env_str("META_APP_ID")
META_APP_SECRET = env_str("META_APP_SECRET")
META_GRAPH_VERSION = env_str("META_GRAPH_VERSION", "v21.0")
META_DIALOG_URL = env_str("META_DIALOG_URL", "https://www.facebook.com").rstrip("/")
META_GRAPH_URL = env_str("META_GRAPH_URL", "https://graph.facebook.com").rstrip("/")
META_RUPLOAD_URL = env_str("META_RUPLOAD_URL", "https://rupload.facebook.com").rstrip("/")

# TikTok: Login Kit v2 and the Content Posting API (video.publish).
TIKTOK_CLIENT_KEY = env_str("TIKTOK_CLIENT_KEY")
TIKTOK_CLIENT_SECRET = env_str("TIKTOK_CLIENT_SECRET")
TIKTOK_AUTHORIZE_URL = env_str("TIKTOK_AUTHORIZE_URL", "https://www.tiktok.com/v2/auth/authorize/")
TIKTOK_API_URL = env_str("TIKTOK_API_URL", "https://open.tiktokapis.com").rstrip("/")

# Kakao: "Sign in with Kakao" (the REST API key is Kakao's client id).
KAKAO_REST_API_KEY = env_str("KAKAO_REST_API_KEY")
KAKAO_CLIENT_SECRET = env_str("KAKAO_CLIENT_SECRET")
KAKAO_AUTH_URL = env_str("KAKAO_AUTH_URL", "https://kauth.kakao.com").rstrip("/")
KAKAO_API_URL = env_str("KAKAO_API_URL", "https://kapi.kakao.com").rstrip("/")

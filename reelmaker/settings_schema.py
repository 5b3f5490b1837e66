"""Settings of the OpenAPI schema (drf-spectacular): what reelmaker/openapi.py and the
schema hooks build on. Imported by reelmaker/settings.py."""

SPECTACULAR_SETTINGS = {
    "TITLE": "reelmaker API",
    "DESCRIPTION": (
        "Turn an idea into a finished vertical short video: write a story's brief, plan it, "
        "preview it, render the final reel, and follow its jobs and events.\n\n"
        "Bodies are JSON (uploads are multipart). Errors are one envelope, "
        '`{"error": {"code", "message", "details"}}`. A trailing slash is optional on every '
        "path. Lists are paginated: `?page=` and `?page_size=` (at most 100). Messages follow "
        "`Accept-Language` (ko, en). Versioning and deprecation: see the README and "
        "CHANGELOG.md; a deprecated operation answers with a `Deprecation` header."
    ),
    "VERSION": "1.0.0",
    "SERVERS": [{"url": "/", "description": "This deployment"}],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The schema and docs endpoints are not part of the API a client calls.
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components (`StoryRequest`, `Story`): read-only fields
    # are not asked for in requests.
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "reelmaker.schema_hooks.postprocess_schema",
        "jobs.event_schema.postprocess_event_schema",
    ],
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    # One name per choice set, so no enum gets a hash-suffixed or field-derived name.
    "ENUM_NAME_OVERRIDES": {
        "StoryStatus": "stories.states.Status",
        "JobStatus": "jobs.models.Job.Status",
        "JobKind": "jobs.models.Job.Kind",
        "EventKind": "stories.models.Event.Kind",
        "PromptKind": "scenes.models.Prompt.Kind",
        "AssetKind": "media.models.Asset.Kind",
        "SubscriptionStatus": "billing.models.Subscription.Status",
        "FinalResolution": "billing.models.FINAL_RESOLUTIONS",
        "Language": "stories.models.Language",
        "Aspect": "stories.models.Aspect",
        "OnFallback": "stories.models.OnFallback",
        "CaptionStyle": "stories.models.CaptionPreset",
        "QCStatus": "media.serializers.QC_STATUSES",
        "Autopilot": "stories.states.Profile",
        "RenderQuality": "render.profiles.QUALITIES",
        "Style": "stories.serializers.STYLES",
        "DegradationStep": "stories.serializers.DEGRADATION_STEPS",
        "CostCapability": "stories.serializers.COST_CAPABILITIES",
        "CostUnit": "stories.serializers.COST_UNITS",
        "RegenerateWhat": "scenes.serializers.REGENERATE_WHAT",
        "UploadKind": "media.services.UPLOAD_KIND_NAMES",
        "SearchKind": "media.stock.KINDS",
        "SearchOrientation": "providers.visual.stock.ORIENTATIONS",
        "SearchOrigin": "media.api_library.SEARCH_SOURCES",
        "LibraryKind": "media.api_library.LIBRARY_KIND_NAMES",
        "Platform": "provenance.models.Platform",
        "Privacy": "publishing.models.Privacy",
        "PublicationState": "publishing.models.Publication.State",
        "LinkedAccountStatus": "publishing.models.LinkedAccount.Status",
        "SocialProvider": "accounts.models.SocialIdentity.Provider",
        "LicenceRole": "provenance.models.LicenceEntry.Role",
        "PlaceSource": "places.models.Place.Source",
        "PlaceCategory": "places.models.Place.Category",
        "PlaceSearchSource": "places.search_serializers.SEARCH_SOURCES",
        "ReelLanguage": "stories.models.ReelLanguage",
        "SongReelStatus": "places.models.SongReel.Status",
        "SongMood": "places.models.SongReel.Mood",
        "SongGenre": "places.models.SongReel.Genre",
        "SongVocal": "places.models.SongReel.Vocal",
        "LyricSectionName": "providers.writer.song_lyrics.SECTION_NAMES",
        "SongRenderProfile": "places.serializers.RENDER_PROFILES",
        "TakeStatus": "practice.models.Take.Status",
        "LineOrder": "practice.selectors.LINE_ORDERS",
    },
    # A blank choice is `""` in the field's own enum, not a shared `BlankEnum`.
    "ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE": False,
    "TAGS": [
        {"name": "auth", "description": "Register, log in, refresh, log out, passwords, email."},
        {"name": "accounts", "description": "The signed-in user and their webhook secret."},
        {"name": "stories", "description": "Stories: the brief, and the workflow verbs."},
        {"name": "scenes", "description": "A story's scenes: edit, reorder, regenerate."},
        {"name": "prompts", "description": "Alternative prompts for a scene."},
        {"name": "jobs", "description": "The units of work behind a story: retry, cancel."},
        {"name": "events", "description": "A story's event log: poll it or stream it."},
        {"name": "uploads", "description": "Your images, clips and music."},
        {"name": "media", "description": "Stock search and your library of pictures and clips."},
        {"name": "billing", "description": "Plans, Checkout, the billing portal, usage, Stripe."},
        {"name": "places", "description": "Small businesses' places: details, photos, brief."},
        {"name": "song_reels", "description": "Song reels of a place: lyrics, song, video."},
        {"name": "practice", "description": "Lines to practise, bookmarks, takes, my page."},
    ],
}

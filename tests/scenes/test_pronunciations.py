"""The pronunciation lexicon: its API (owner-scoped, validated) and what the voice receives."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from jobs import services as job_services
from jobs.models import Job
from providers import registry as providers
from providers.voice.espeak import EspeakVoice
from scenes.models import MAX_SPOKEN, MAX_WORD, PronunciationEntry, Scene
from scenes.services import editing, make_scene_voice
from scenes.services.pronunciations import stale_voice_scene_ids
from tests.factories import SceneFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/pronunciations/"


def test_create_list_update_and_delete_a_pronunciation(api, user):
    created = api.post(URL, {"language": "ko", "word": "ReelMaker", "spoken": "릴메이커"})

    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["language"], body["word"], body["spoken"]) == ("ko", "ReelMaker", "릴메이커")
    entry = PronunciationEntry.objects.get(pk=body["id"])
    assert entry.user == user

    listed = api.get(URL).json()
    assert [row["id"] for row in listed["results"]] == [entry.pk]

    changed = api.patch(f"{URL}{entry.pk}/", {"spoken": "릴 메이커"}, format="json")
    assert changed.status_code == 200, changed.json()
    entry.refresh_from_db()
    assert (entry.word, entry.spoken) == ("ReelMaker", "릴 메이커")

    assert api.get(f"{URL}{entry.pk}/").json()["spoken"] == "릴 메이커"
    assert api.delete(f"{URL}{entry.pk}/").status_code == 204
    assert not PronunciationEntry.objects.exists()


def test_list_filters_by_language(api, user):
    PronunciationEntry.objects.create(user=user, language="ko", word="AI", spoken="에이아이")
    PronunciationEntry.objects.create(user=user, language="en", word="AI", spoken="ay eye")

    rows = api.get(f"{URL}?language=en").json()["results"]

    assert [(r["language"], r["spoken"]) for r in rows] == [("en", "ay eye")]


def test_another_users_pronunciations_are_invisible_and_untouchable(api, other_api, other_user):
    theirs = PronunciationEntry.objects.create(
        user=other_user, language="ko", word="서울", spoken="쏘울"
    )

    assert api.get(URL).json()["count"] == 0
    assert api.get(f"{URL}{theirs.pk}/").status_code == 404
    assert api.patch(f"{URL}{theirs.pk}/", {"spoken": "x"}, format="json").status_code == 404
    assert api.delete(f"{URL}{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.spoken == "쏘울"
    assert other_api.get(URL).json()["count"] == 1


def test_the_same_word_is_refused_twice_and_nothing_changes(api, user, other_api):
    api.post(URL, {"language": "ko", "word": "AI", "spoken": "에이아이"})

    again = api.post(URL, {"language": "ko", "word": "AI", "spoken": "인공지능"})

    assert again.status_code == 400
    error = again.json()["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert "word" in error["details"]["fields"]
    assert list(PronunciationEntry.objects.values_list("spoken", flat=True)) == ["에이아이"]
    # Another language, or another user, may have the word.
    assert api.post(URL, {"language": "en", "word": "AI", "spoken": "ay eye"}).status_code == 201
    assert (
        other_api.post(URL, {"language": "ko", "word": "AI", "spoken": "아이"}).status_code == 201
    )


def test_renaming_onto_an_existing_word_is_refused_and_nothing_changes(api, user):
    PronunciationEntry.objects.create(user=user, language="ko", word="AI", spoken="에이아이")
    other = PronunciationEntry.objects.create(user=user, language="ko", word="IT", spoken="아이티")

    response = api.patch(f"{URL}{other.pk}/", {"word": "AI"}, format="json")

    assert response.status_code == 400
    assert "word" in response.json()["error"]["details"]["fields"]
    other.refresh_from_db()
    assert other.word == "IT"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"language": "ko", "word": "", "spoken": "에이"}, "word"),
        ({"language": "ko", "word": "   ", "spoken": "에이"}, "word"),
        ({"language": "ko", "word": "two words", "spoken": "에이"}, "word"),
        ({"language": "ko", "word": "x" * (MAX_WORD + 1), "spoken": "에이"}, "word"),
        ({"language": "ko", "word": "AI", "spoken": ""}, "spoken"),
        ({"language": "ko", "word": "AI", "spoken": "에" * (MAX_SPOKEN + 1)}, "spoken"),
        ({"language": "fr", "word": "AI", "spoken": "a i"}, "language"),
        ({"word": "AI", "spoken": "에이아이"}, "language"),
    ],
)
def test_invalid_pronunciations_are_refused_in_the_envelope(api, body, field):
    response = api.post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_REQUEST"
    assert field in response.json()["error"]["details"]["fields"]
    assert not PronunciationEntry.objects.exists()


def test_the_lexicon_needs_a_signed_in_user(anon):
    assert anon.get(URL).status_code == 401
    assert anon.post(URL, {"language": "ko", "word": "AI", "spoken": "에이"}).status_code == 401


class CapturingVoice:
    """The real eSpeak voice, remembering the text it was asked to say."""

    def __init__(self):
        self.texts: list[str] = []

    def synthesize(self, *, text, language, voice, out_path):
        self.texts.append(text)
        return EspeakVoice().synthesize(text=text, language=language, voice="", out_path=out_path)


@pytest.fixture
def voice(monkeypatch):
    capturing = CapturingVoice()
    monkeypatch.setattr(providers, "get_voice_provider", lambda: capturing)
    return capturing


def test_the_owners_lexicon_changes_what_the_voice_receives(voice, user, other_user):
    PronunciationEntry.objects.create(user=user, language="ko", word="ReelMaker", spoken="릴메이커")
    PronunciationEntry.objects.create(user=other_user, language="ko", word="커피", spoken="코피")
    story = StoryFactory(owner=user, language="ko")
    scene = SceneFactory(story=story, narration="ReelMaker로 커피 3,500원 절약")

    make_scene_voice(scene_id=scene.pk)

    assert voice.texts == ["릴메이커로 커피 삼천오백 원 절약"]  # not the other user's 코피
    scene.refresh_from_db()
    assert [w["text"] for w in scene.word_timings] == ["ReelMaker로", "커피", "3,500원", "절약"]
    assert scene.voice_key


def test_a_lexicon_change_voices_the_affected_scenes_again(voice, user):
    story = StoryFactory(owner=user, language="ko")
    named = SceneFactory(story=story, position=0, narration="ReelMaker로 만든 영상")
    plain = SceneFactory(story=story, position=1, narration="오늘의 커피")
    for scene in (named, plain):
        make_scene_voice(scene_id=scene.pk)
    assert stale_voice_scene_ids(story=story) == set()

    PronunciationEntry.objects.create(user=user, language="ko", word="ReelMaker", spoken="릴메이커")

    assert stale_voice_scene_ids(story=story) == {named.pk}
    jobs = job_services.create_asset_jobs(story)
    assert [(j.kind, j.scene_id) for j in jobs if j.kind == Job.Kind.VOICE] == [
        (Job.Kind.VOICE, named.pk)
    ]
    make_scene_voice(scene_id=named.pk)
    assert voice.texts[-1] == "릴메이커로 만든 영상"
    assert stale_voice_scene_ids(story=story) == set()


def test_a_scene_voiced_before_keys_were_kept_is_not_voiced_again(voice, user):
    story = StoryFactory(owner=user, language="ko")
    scene = SceneFactory(story=story, narration="오늘의 커피")
    make_scene_voice(scene_id=scene.pk)
    Scene.objects.filter(pk=scene.pk).update(voice_key="")
    PronunciationEntry.objects.create(user=user, language="ko", word="커피", spoken="코피")

    assert stale_voice_scene_ids(story=story) == set()


@pytest.fixture
def staff(client):
    operator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator)
    return operator


def test_an_operator_adds_and_edits_a_pronunciation_in_admin(client, staff, user):
    added = client.post(
        "/admin/scenes/pronunciationentry/add/",
        {"user": user.pk, "language": "ko", "word": "AI", "spoken": "에이아이"},
    )

    assert added.status_code == 302, added.content[:2000]
    entry = PronunciationEntry.objects.get(user=user)
    assert (entry.word, entry.spoken) == ("AI", "에이아이")

    client.post(
        f"/admin/scenes/pronunciationentry/{entry.pk}/change/",
        {"language": "ko", "word": "AI", "spoken": "인공지능"},
    )
    entry.refresh_from_db()
    assert entry.spoken == "인공지능"


def test_admin_refuses_renaming_onto_an_existing_word_and_changes_nothing(client, staff, user):
    PronunciationEntry.objects.create(user=user, language="ko", word="AI", spoken="에이아이")
    other = PronunciationEntry.objects.create(user=user, language="ko", word="IT", spoken="아이티")

    response = client.post(
        f"/admin/scenes/pronunciationentry/{other.pk}/change/",
        {"language": "ko", "word": "AI", "spoken": "아이티"},
        follow=True,
    )

    assert response.status_code == 200
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("already have a pronunciation for “AI”" in m for m in messages), messages
    other.refresh_from_db()
    assert other.word == "IT"


def test_preview_reads_a_text_with_the_users_pronunciations(api, user, other_user):
    PronunciationEntry.objects.create(user=user, language="ko", word="ReelMaker", spoken="릴메이커")
    PronunciationEntry.objects.create(user=other_user, language="ko", word="커피", spoken="코피")

    response = api.post(
        f"{URL}preview/", {"language": "ko", "text": "ReelMaker로 커피 3,500원 #"}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["spoken"] == "릴메이커로 커피 삼천오백 원"
    assert body["words"] == [
        {"written": "ReelMaker로", "spoken": "릴메이커로"},
        {"written": "커피", "spoken": "커피"},
        {"written": "3,500원", "spoken": "삼천오백 원"},
        {"written": "#", "spoken": ""},
    ]
    assert not Job.objects.exists()


def test_preview_refuses_a_text_past_the_narration_limit(api):
    response = api.post(f"{URL}preview/", {"language": "en", "text": "a " * 1001}, format="json")

    assert response.status_code == 400
    assert "text" in response.json()["error"]["details"]["fields"]


def test_refusals_are_in_korean_for_a_korean_client(api):
    api.post(URL, {"language": "ko", "word": "AI", "spoken": "에이아이"}, format="json")

    twice = api.post(
        URL,
        {"language": "ko", "word": "AI", "spoken": "인공지능"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    spaced = api.post(
        URL,
        {"language": "ko", "word": "두 단어", "spoken": "두 단어"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ko",
    )

    assert twice.json()["error"]["message"] == "이 언어에는 “AI”의 발음이 이미 있습니다."
    assert spaced.json()["error"]["details"]["fields"]["word"] == [
        "띄어쓰기 없이 한 단어를 입력하세요."
    ]


def test_a_duplicated_story_keeps_the_narration_key_and_follows_lexicon_changes(voice, user):
    story = StoryFactory(owner=user, language="ko")
    scene = SceneFactory(story=story, narration="ReelMaker 영상")
    make_scene_voice(scene_id=scene.pk)
    copy = StoryFactory(owner=user, language="ko")

    editing.copy_scenes(source=story, target=copy)

    assert copy.scenes.get().voice_key == Scene.objects.get(pk=scene.pk).voice_key
    PronunciationEntry.objects.create(user=user, language="ko", word="ReelMaker", spoken="릴메이커")
    assert stale_voice_scene_ids(story=copy) == {copy.scenes.get().pk}

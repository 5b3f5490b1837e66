"""Post text per platform: proposed within each platform's limits, in the story's language,
by the template writer offline and by OpenAI when configured; editable through the API."""

from __future__ import annotations

import pytest
from django.conf import settings

from billing.models import UsageRecord
from provenance.models import PostText
from provenance.seo import proposed_post
from tests.factories import StoryFactory

pytestmark = pytest.mark.django_db

PLATFORMS = ["youtube", "instagram", "tiktok"]


def _story(user=None, **fields):
    defaults = {
        "language": "ko",
        "title": "아침 커피 한 잔의 여유",
        "hook": "출근 전 5분, 이렇게 바꿔 보세요",
        "post_caption": "매일 아침 커피 한 잔으로 하루를 시작해요 ☕",
        "hashtags": ["#커피", "#아침", "#카페", "#일상", "#모닝커피"],
    }
    if user is not None:
        defaults["owner"] = user
    return StoryFactory(**{**defaults, **fields})


def _within_limits(post: PostText) -> None:
    rules = settings.PLATFORM_RULES[post.platform]
    assert len(post.title) <= rules["title_max_chars"]
    assert len(post.description) <= rules["description_max_chars"]
    assert len(post.hashtags) <= rules["hashtags_max"]
    assert all(tag.startswith("#") and " " not in tag for tag in post.hashtags)


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize(
    ("language", "tag"), [("ko", {"youtube": "#쇼츠", "instagram": "#릴스", "tiktok": "#추천"})]
)
def test_the_template_writer_fits_each_platform_in_korean(platform, language, tag):
    story = _story(language=language)

    post = proposed_post(story, platform)

    _within_limits(post)
    assert post.writer == "template"
    assert tag[platform] in post.hashtags
    assert "#커피" in post.hashtags
    text = post.title + post.description
    assert "커피" in text
    if platform == "tiktok":  # one text: the hashtags live in the title
        assert post.description == ""
        assert "#커피" in post.title
    if platform == "instagram":  # a Reel has no title
        assert post.title == ""
        assert post.description.endswith(" ".join(post.hashtags))


def test_the_template_writer_writes_english_for_an_english_story():
    story = _story(
        language="en",
        title="Morning coffee, done right",
        hook="Five minutes before work",
        post_caption="Start the day with one good cup",
        hashtags=["#coffee", "#morning", "#cafe", "#daily", "#routine"],
    )

    post = proposed_post(story, "youtube")

    assert post.title == "Morning coffee, done right"
    assert post.hashtags[0] == "#Shorts"
    assert "Five minutes before work" in post.description


def test_a_title_over_the_limit_is_cut_at_a_word_with_an_ellipsis():
    story = _story(language="en", title=("coffee " * 25).strip())

    post = proposed_post(story, "youtube")

    assert len(post.title) <= 100
    assert post.title.endswith("…")
    assert post.title.removesuffix("…").split()[-1] == "coffee"


def test_too_many_hashtags_are_capped_and_repeats_dropped():
    tags = [f"#tag{n}" for n in range(40)] + ["#TAG1", "#tag 2"]
    story = _story(hashtags=tags)

    post = proposed_post(story, "instagram")

    assert len(post.hashtags) == 30
    assert len({t.casefold() for t in post.hashtags}) == 30


def test_openai_writes_the_post_text_when_it_is_the_writer(fake_openai, prices):
    fake_openai.plan = {
        "title": "출근 전 5분, 커피 루틴 " * 10,
        "description": "하루를 바꾸는 커피 한 잔",
        "hashtags": [f"#커피{n}" for n in range(40)],
    }
    story = _story()

    post = proposed_post(story, "youtube")

    _within_limits(post)
    assert post.writer == "openai"
    assert post.title.startswith("출근 전 5분")
    assert post.description.startswith("하루를 바꾸는 커피 한 잔")
    sent = fake_openai.posts()[0].body
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["schema"]["required"] == [
        "title",
        "description",
        "hashtags",
    ]
    assert "한국어" in sent["messages"][0]["content"]
    assert UsageRecord.objects.filter(story=story, provider="openai").exists()


def test_an_openai_failure_falls_back_to_the_template_writer(fake_openai):
    fake_openai.modes.extend(["500"])
    story = _story()

    post = proposed_post(story, "tiktok")

    assert post.writer == "template"
    _within_limits(post)


def test_an_openai_answer_of_the_wrong_shape_falls_back_too(fake_openai):
    fake_openai.plan = {"nope": True}
    story = _story()

    post = proposed_post(story, "youtube")

    assert post.writer == "template"


# ---------------------------------------------------------------- API


def test_get_seo_proposes_all_three_platforms_once(api, user):
    story = _story(user)

    first = api.get(f"/api/v1/stories/{story.pk}/seo/")
    again = api.get(f"/api/v1/stories/{story.pk}/seo")

    assert first.status_code == 200
    assert [row["platform"] for row in first.json()] == ["youtube", "instagram", "tiktok"]
    assert again.json() == first.json()
    assert PostText.objects.filter(story=story).count() == 3


def test_patch_saves_the_users_text_and_propose_keeps_it(api, user):
    story = _story(user)

    edited = api.patch(
        f"/api/v1/stories/{story.pk}/seo/",
        {"platform": "youtube", "title": "내 제목", "hashtags": ["쇼츠", "#커피", "#커피"]},
        format="json",
    )
    proposed = api.post(f"/api/v1/stories/{story.pk}/seo/propose/")

    assert edited.status_code == 200
    assert edited.json()["title"] == "내 제목"
    assert edited.json()["hashtags"] == ["#쇼츠", "#커피"]
    assert edited.json()["is_edited"] is True
    youtube = next(row for row in proposed.json() if row["platform"] == "youtube")
    assert youtube["title"] == "내 제목"


def test_patch_over_the_limits_is_400_naming_the_fields_and_saves_nothing(api, user):
    story = _story(user)
    before = api.get(f"/api/v1/stories/{story.pk}/seo/").json()

    response = api.patch(
        f"/api/v1/stories/{story.pk}/seo",
        {"platform": "youtube", "title": "x" * 101, "hashtags": [f"#t{n}" for n in range(16)]},
        format="json",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert "100" in error["details"]["fields"]["title"][0]
    assert "15" in error["details"]["fields"]["hashtags"][0]
    assert api.get(f"/api/v1/stories/{story.pk}/seo/").json() == before


def test_another_users_story_is_404(other_api, user):
    story = _story(user)

    listed = other_api.get(f"/api/v1/stories/{story.pk}/seo/")
    patched = other_api.patch(
        f"/api/v1/stories/{story.pk}/seo/", {"platform": "tiktok", "title": "x"}
    )

    assert listed.status_code == 404
    assert patched.status_code == 404
    assert not PostText.objects.filter(story=story).exists()


def test_an_unknown_platform_is_400(api, user):
    story = _story(user)

    response = api.patch(f"/api/v1/stories/{story.pk}/seo/", {"platform": "myspace"})

    assert response.status_code == 400
    assert "platform" in response.json()["error"]["details"]["fields"]

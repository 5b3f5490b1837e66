"""The studio's sign-in page in a real browser (Debian's chromium, Playwright, the production
web server): "Continue with Google / Kakao" appear only when the server has those apps
configured, and a click goes through the (local) provider's consent and back, signed in."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from accounts.models import SocialIdentity
from tests.studio.browser import PHONE, screenshot, unnamed_controls

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

NOT_CONFIGURED = {
    "GOOGLE_CLIENT_ID": "",
    "GOOGLE_CLIENT_SECRET": "",
    "KAKAO_REST_API_KEY": "",
    "KAKAO_CLIENT_SECRET": "",
}


@pytest.fixture
def studio_env(request, platforms):
    """The web server's sign-in settings: every app pointed at the local platforms, or none."""
    if not request.param:
        return NOT_CONFIGURED
    url = platforms.url
    return {
        "AUTHLIB_INSECURE_TRANSPORT": "1",  # the local provider speaks plain HTTP
        "GOOGLE_CLIENT_ID": "g-client",
        "GOOGLE_CLIENT_SECRET": "g-secret",
        "GOOGLE_AUTHORIZE_URL": f"{url}/o/oauth2/v2/auth",
        "GOOGLE_TOKEN_URL": f"{url}/token",
        "GOOGLE_JWKS_URL": f"{url}/oauth2/v3/certs",
        "KAKAO_REST_API_KEY": "kakao-key",
        "KAKAO_CLIENT_SECRET": "kakao-secret",
        "KAKAO_AUTH_URL": url,
        "KAKAO_API_URL": url,
    }


def _sign_in_page(chromium, studio_server, locale: str):
    context = chromium.new_context(viewport=PHONE, locale=locale)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{studio_server.url}/sign-in/")
    return context, page, errors


@pytest.mark.parametrize("studio_env", [True], indirect=True)
def test_configured_buttons_sign_in_through_the_provider(chromium, studio_server, studio_env):
    context, page, errors = _sign_in_page(chromium, studio_server, "ko-KR")
    google = page.get_by_role("button", name="Google로 계속하기")
    kakao = page.get_by_role("button", name="카카오로 계속하기")

    assert google.is_visible()
    assert kakao.is_visible()
    assert unnamed_controls(page) == []
    screenshot(page, "studio-ko-phone-0-sign-in-social")
    google.click()  # -> the local Google's consent page -> back to /auth/social/google/
    page.wait_for_url(f"{studio_server.url}/")

    assert urlsplit(page.url).path == "/"
    assert page.get_by_role("heading", level=1).count() == 1
    assert SocialIdentity.objects.get().provider == "google"
    assert errors == []
    context.close()


@pytest.mark.parametrize("studio_env", [False], indirect=True)
def test_no_buttons_when_no_provider_is_configured(chromium, studio_server, studio_env):
    context, page, errors = _sign_in_page(chromium, studio_server, "en-US")

    assert page.get_by_role("button", name="Sign in").is_visible()
    assert page.get_by_role("button", name="Continue with Google").count() == 0
    assert page.get_by_role("button", name="Continue with Kakao").count() == 0
    assert page.get_by_text("Or sign in with").count() == 0
    assert errors == []
    context.close()

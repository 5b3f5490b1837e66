"""Sign in with Google or Kakao from the studio. A button on the sign-in page starts the
provider's consent in this browser; the provider sends the user back to
/auth/social/<provider>/ (accounts.social.redirect_uri), which signs them in with a session.
The API's clients get a JWT pair from the same accounts.social flow instead."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import social
from accounts.models import SocialIdentity
from publishing.errors import OAuthStateInvalid
from reelmaker.errors import DomainError, OutsideServiceError
from studio.forms import SignInForm, next_url

NAMES = dict(SocialIdentity.Provider.choices)  # provider -> its (translated) name
_NEXT = "studio-social-next"
_STATE = "studio-social-state"


def buttons() -> list[dict]:
    """The sign-in buttons this server can offer: only configured providers."""
    return [{"provider": name, "name": NAMES[name]} for name in social.configured_providers()]


@require_POST
def start(request: HttpRequest, provider: str) -> HttpResponse:
    if provider not in social.configured_providers():
        raise Http404
    url = social.start_social_sign_in(provider=provider)
    # The state is bound to this browser too: a link carrying someone else's code and state
    # (login CSRF, RFC 6749 §10.12) signs nobody in here.
    request.session[_STATE] = parse_qs(urlsplit(url).query).get("state", [""])[0]
    request.session[_NEXT] = next_url(request)
    return redirect(url)


def callback(request: HttpRequest, provider: str) -> HttpResponse:
    """Where the provider sends the user back, with `code` and `state` (or an `error`)."""
    if provider not in NAMES:
        raise Http404
    if request.GET.get("error"):  # the user said no on the provider's page
        return _refused(request, _("Sign-in with %(provider)s was canceled.") % _named(provider))
    user = request.user if request.user.is_authenticated else None
    state = request.GET.get("state", "")[:200]
    try:
        if not state or state != request.session.pop(_STATE, None):
            raise OAuthStateInvalid()
        account, _created = social.social_account(
            provider=provider,
            code=request.GET.get("code", "")[:2000],
            state=state,
            user=user,
        )
    except DomainError as exc:
        return _refused(request, str(exc.message))
    except OutsideServiceError:
        message = _("%(provider)s did not answer as expected. Try again in a moment.")
        return _refused(request, message % _named(provider))
    login(request, account, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(request.session.pop(_NEXT, "studio:home"))


def _named(provider: str) -> dict:
    return {"provider": NAMES[provider]}


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    context = {
        "form": SignInForm(request=request),
        "next": request.session.pop(_NEXT, ""),
        "social": buttons(),
        "social_error": message,
    }
    return render(request, "studio/sign_in.html", context, status=400)

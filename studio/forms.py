"""The sign-in and sign-up forms: the API's accounts, checked by the API's own rules."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from accounts.serializers import RegisterInput


def next_url(request: HttpRequest) -> str:
    """Where to go after signing in: the `next` asked for when it is on this site, else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "studio:home"


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput({"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        widget=forms.PasswordInput({"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean() or {}
        if self.errors:
            return data
        # The username is the lowercased email (accounts.api.register_user).
        self.user = authenticate(
            self.request, username=data["email"].strip().lower(), password=data["password"]
        )
        if self.user is None or not self.user.is_active:
            raise forms.ValidationError(_("The email or the password is wrong."))
        return data


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), max_length=150, widget=forms.EmailInput({"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )

    def clean(self):
        data = super().clean() or {}
        if self.errors:
            return data
        # The same checks as POST /api/v1/auth/register (taken email, password rules).
        check = RegisterInput(data=data)
        if not check.is_valid():
            for field, messages in check.errors.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, str(message))
        return data

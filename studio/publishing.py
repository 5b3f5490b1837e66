"""The studio's publish page: the platforms configured here (the others are not shown), the
user's linked accounts with a Connect button, the publish form and the story's history."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from provenance.models import Platform
from publishing import linking, selectors, services
from publishing.models import Privacy
from reelmaker.errors import DomainError
from stories.selectors import story_for


class PublishForm(forms.Form):
    targets = forms.MultipleChoiceField(
        label=_("Post to"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea, required=False)
    hashtags = forms.CharField(label=_("hashtags"), required=False, max_length=2000)
    privacy = forms.ChoiceField(label=_("privacy"), choices=Privacy.choices)

    def __init__(self, *args, platforms: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Platform.choices)
        targets = self.fields["targets"]
        if isinstance(targets, forms.MultipleChoiceField):  # always; narrows the type
            targets.choices = [(p, labels[p]) for p in platforms]


@login_required
def publish(request: HttpRequest, story_id: int) -> HttpResponse:
    story = story_for(user=request.user, story_id=story_id)
    platforms = linking.configured_platforms()
    initial = {
        "title": story.title,
        "description": story.post_caption,
        "hashtags": " ".join(f"#{t.lstrip('#')}" for t in story.hashtags or []),
        "targets": platforms,
    }
    form = PublishForm(request.POST or None, initial=initial, platforms=platforms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.publish_story(
                story=story,
                by=request.user,
                targets=data["targets"],
                title=data["title"],
                description=data["description"],
                hashtags=[t.lstrip("#") for t in data["hashtags"].split() if t.lstrip("#")],
                privacy=data["privacy"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Queued. Each platform's upload shows below."))
            return redirect("studio:publish", story_id=story.pk)
    accounts = {a.platform: a for a in selectors.accounts_for(user=request.user)}
    return render(
        request,
        "studio/publish.html",
        {
            "story": story,
            "form": form,
            "platforms": [(p, Platform(p).label, accounts.get(p)) for p in platforms],
            "publications": selectors.publications_for_story(user=request.user, story_id=story.pk),
        },
    )


@login_required
@require_POST
def connect(request: HttpRequest, story_id: int, platform: str) -> HttpResponse:
    story = story_for(user=request.user, story_id=story_id)
    if platform not in Platform.values:
        return redirect("studio:publish", story_id=story.pk)
    back = reverse("studio:publish", kwargs={"story_id": story.pk})
    try:
        url = linking.start_link(user=request.user, platform=platform, return_to=back)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(back)
    return redirect(url)

"""Studio pages for practice: record a line with its reference playing, see a take's result
(word table, pitch chart, rank) and use a take as its scene's voice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from media.downloads import signed_media_url
from practice import narration, selectors
from practice.models import Line, Take
from practice.pitch_chart import pitch_chart
from reelmaker.errors import DomainError
from scenes.models import Scene


@login_required
def record(request: HttpRequest, line_id: int) -> HttpResponse:
    line = get_object_or_404(Line.objects.select_related("reference"), pk=line_id)
    return render(
        request,
        "practice/record.html",
        {"line": line, "reference_url": signed_media_url(line.reference, request)},
    )


@login_required
def result(request: HttpRequest, take_id: int) -> HttpResponse:
    take = get_object_or_404(selectors.takes_for(user=request.user), pk=take_id)
    analysis = take.result or {}
    return render(
        request,
        "practice/result.html",
        {
            "take": take,
            "analysis": analysis,
            "chart": pitch_chart(analysis.get("intonation") or {}),
            "is_pending": take.status in (Take.Status.QUEUED, Take.Status.RUNNING),
            "can_use": take.status == Take.Status.SUCCEEDED and take.line.scene_id is not None,
        },
    )


@login_required
@require_POST
def use_take(request: HttpRequest, take_id: int) -> HttpResponse:
    take = get_object_or_404(selectors.takes_for(user=request.user), pk=take_id)
    if take.line.scene_id is None:
        raise Http404
    try:
        with take.recording.file.open("rb") as recording:
            narration.request_scene_voice(
                scene_id=take.line.scene_id, by=request.user, recording=recording
            )
    except Scene.DoesNotExist:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("This take is being made the scene's voice; it is ready in a moment.")
        )
    return redirect("practice-pages:result", take_id=take.pk)

"""The words the reel page's script shows, translated here (the page has no JS catalogue)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jobs.models import Job
from stories.states import Status


def reel_strings() -> dict:
    return {
        "statuses": dict(Status.choices),
        "kinds": dict(Job.Kind.choices),
        "job_statuses": dict(Job.Status.choices),
        "scene_n": _("scene %(n)s"),
        "scene_narration": _("Scene %(n)s narration"),
        "scene_duration": _("%(s)s s"),
        "scene_visual": _("Scene %(n)s visual"),
        "search_label": _("Search pictures or clips for scene %(n)s"),
        "kind_label": _("Kind"),
        "upload_label": _("Or upload your own picture or clip"),
        "use": _("Use this for scene %(n)s"),
        "use_short": _("Use this"),
        "nothing_found": _("Nothing found. Try other words or upload your own."),
        "offline_search": _("Offline: artwork variants and your own files."),
        "saved": _("Saved. The next render makes only scene %(n)s again."),
        "moved": _("Order saved."),
        "regenerating": _("Scene %(n)s is being made again."),
        "failed_step": _("A step failed: %(error)s"),
        "qc_pass": _("The reel passed every quality check."),
        "qc_warn": _("The reel is fine, with warnings:"),
        "qc_fail": _("The reel failed some quality checks:"),
        "copied": _("Copied."),
        "lock": _("Lock the plan"),
        "unlock": _("Unlock the plan"),
        "locked": _("The plan is locked: scenes cannot change until you unlock it."),
    }


def pronunciation_strings() -> dict:
    return {
        "say_as": _("Say %(word)s as"),
        "save": _("Save"),
        "save_word": _("Save %(word)s"),
        "remove": _("Remove"),
        "remove_word": _("Remove %(word)s"),
    }


def library_strings() -> dict:
    return {
        "picture": _("Picture"),
        "clip": _("Clip"),
        "track": _("Music"),
        "tags": _("Tags"),
        "save_tags": _("Save the tags"),
        "saved": _("Saved."),
        "use": _("Use in the chosen scene"),
        "used": _("Scene %(n)s now shows it; only that scene is made again."),
        "pick_target": _("Choose a reel and a scene first."),
        "empty": _("Nothing in your library matches."),
    }

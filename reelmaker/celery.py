"""The Celery app: configured from Django settings (CELERY_*); tasks come from each tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmaker.settings")

app = Celery("reelmaker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""The Celery app: configured from Django settings (CELERY_*); tasks come from each tasks.py."""

import os

from celery import Celery

from reelmaker.env import load_env_file

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmaker.settings")
load_env_file()

app = Celery("reelmaker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

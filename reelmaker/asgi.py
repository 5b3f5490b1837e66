"""The ASGI application that the web server runs (gunicorn with uvicorn workers, see
gunicorn.conf.py): event streams are served by async views without a thread each."""

import os

from django.core.asgi import get_asgi_application

from reelmaker.env import load_env_file

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmaker.settings")
os.environ.setdefault("DATABASE_POOL", "1")  # see "DATABASE_POOL" in settings
load_env_file()
application = get_asgi_application()

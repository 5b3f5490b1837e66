import os

from django.core.asgi import get_asgi_application

from reelmaker.env import load_env_file

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmaker.settings")
load_env_file()
application = get_asgi_application()

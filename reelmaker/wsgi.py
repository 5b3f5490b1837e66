import os

from django.core.wsgi import get_wsgi_application

from reelmaker.env import load_env_file

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmaker.settings")
load_env_file()
application = get_wsgi_application()

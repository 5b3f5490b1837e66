#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmaker.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from reelmaker.env import load_env_file

    load_env_file()
    try:
        settings.INSTALLED_APPS  # noqa: B018 -- loads the settings: a bad one stops here
    except ImproperlyConfigured as exc:
        # One line a person can act on (e.g. "SECRET_KEY must be set ..."), no traceback.
        sys.exit(f"ImproperlyConfigured: {exc}")
    execute_from_command_line(sys.argv)

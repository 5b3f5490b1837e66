from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Jobs")

    def ready(self) -> None:
        # jobs.dispatch sends tasks by name; a name resolves to its task (routes, eager mode)
        # only once the tasks modules are registered, which a worker does at start and every
        # other process does here, through Celery's own autodiscovery.
        from reelmaker.celery import app

        app.autodiscover_tasks(force=True)

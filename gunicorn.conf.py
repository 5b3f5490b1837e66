"""The production web server, one configuration for `make run` (Procfile), the Docker image and
compose: gunicorn supervising uvicorn workers, each an asyncio event loop serving the ASGI app
(reelmaker/asgi.py). Start it as `gunicorn -c gunicorn.conf.py reelmaker.asgi:application`.

Environment: PORT (8000), BIND_HOST (0.0.0.0; Procfile: 127.0.0.1), WEB_CONCURRENCY (worker
processes: the number of CPU cores), WEB_TIMEOUT_S (60: a worker whose loop stalls that long
is restarted; streams do not count, they yield to the loop between polls).
"""

import os

bind = [f"{os.environ.get('BIND_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"]  # noqa: S104
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
worker_class = "uvicorn_worker.UvicornWorker"
timeout = int(os.environ.get("WEB_TIMEOUT_S", "60"))
graceful_timeout = 10  # open event streams end on restart; clients resume with Last-Event-ID
keepalive = 30
accesslog = os.environ.get("WEB_ACCESS_LOG") or None  # "-" for stdout
control_socket_disable = True  # no ~/.gunicorn/gunicorn.ctl shared by every server on a machine

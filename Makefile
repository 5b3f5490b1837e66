# reelmaker: `make demo` renders sample reels offline; `make test` runs the whole suite.
PY := .venv/bin/python
export DEBUG ?= 1

.PHONY: demo test lint run setup setup-test migrate superuser requirements messages bench

setup:
	scripts/setup.sh demo

setup-test:
	scripts/setup.sh test

migrate: setup
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py makereel "성수동 브런치 카페" --lang ko --duration 30 --out var/out/demo-ko.mp4
	$(PY) manage.py makereel "morning coffee ritual" --lang en --duration 30 --out var/out/demo-en.mp4

lint: setup-test
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache
	DEBUG=1 .venv/bin/mypy .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run -v 1

# The suite sets its own environment: the local .env (setup.sh) stays out of it.
test: lint
	REELMAKER_ENV_FILE= .venv/bin/pytest

# The production web server (gunicorn.conf.py) on $PORT, 8000 by default: honcho hands PORT
# to the first process of the Procfile, web.
run: migrate
	PORT=$${PORT:-8000} .venv/bin/honcho start -f Procfile

superuser: migrate
	$(PY) manage.py createsuperuser

requirements:
	.venv/bin/pip-compile -q --strip-extras --no-header --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	.venv/bin/pip-compile -q --strip-extras --no-header --no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in

messages:
	$(PY) manage.py makemessages -l ko --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

bench: setup-test migrate
	$(PY) bench/render_bench.py

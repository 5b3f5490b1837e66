#!/usr/bin/env bash
# Installs what reelmaker needs on a fresh Debian machine: apt packages when missing, the
# virtualenv at .venv/ and its packages. Safe to run again: it skips what is already there.
#   scripts/setup.sh demo   # render tools only
#   scripts/setup.sh test   # + PostgreSQL, RabbitMQ and the test tools
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-demo}"

apt_packages=(ffmpeg espeak-ng libespeak-ng1 fonts-noto-cjk fontconfig redis-server)
if [ "$what" = "test" ]; then
  apt_packages+=(postgresql rabbitmq-server chromium)  # chromium: tests/browser/
  # Node and npm from Debian only where no node is installed (another install would conflict).
  command -v npm >/dev/null || apt_packages+=(nodejs npm)
fi

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python_bin="${PYTHON:-python3.11}"
command -v "$python_bin" >/dev/null || python_bin=python3
if [ ! -x .venv/bin/python ]; then
  "$python_bin" -m venv .venv
  .venv/bin/pip install -q -U pip
fi

requirements=(requirements.txt)
[ "$what" = "test" ] && requirements+=(requirements-dev.txt)
stamp=".venv/.installed-$what-$(cat "${requirements[@]}" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  args=()
  for r in "${requirements[@]}"; do args+=(-r "$r"); done
  .venv/bin/pip install -q "${args[@]}"
  touch "$stamp"
fi
mkdir -p var

# The API-contract tests lint the schema and type-check a generated TypeScript client with the
# npm tools pinned in package-lock.json, installed into node_modules/ (git-ignored).
if [ "$what" = "test" ]; then
  npm_stamp="node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)"
  if [ ! -f "$npm_stamp" ]; then
    npm ci --no-audit --no-fund --loglevel=error
    touch "$npm_stamp"
  fi
fi

# A git-ignored .env for local use, read by manage.py, Celery and the WSGI/ASGI apps, so every
# documented command works outside make. An existing .env is never overwritten.
if [ ! -f .env ]; then
  umask 077
  secret="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')"
  printf '# Local settings for reelmaker (written by scripts/setup.sh; not committed).\nDEBUG=1\nSECRET_KEY=%s\n' "$secret" > .env
  echo "Wrote .env (DEBUG=1 and a generated SECRET_KEY) for local use."
fi

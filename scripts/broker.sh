#!/usr/bin/env bash
# The embedded broker for a first run: Redis on a unix socket under var/, no TCP port, no account.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
exec redis-server --port 0 --unixsocket "$PWD/var/redis.sock" --unixsocketperm 700 \
  --save "" --appendonly no --dir "$PWD/var"

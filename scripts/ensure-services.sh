#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis the tests talk to are up: on a machine with them installed
# as local services it starts them; elsewhere it starts them with docker compose.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ] || (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "starting the local PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  elif docker info >/dev/null 2>&1; then
    docker compose up -d postgres
  else
    echo "PostgreSQL is not running on 127.0.0.1:5432: start it, or run 'docker compose up -d postgres redis'" >&2
    exit 1
  fi
fi
if ! redis_up; then
  if command -v redis-server >/dev/null; then
    echo "starting the local Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --maxmemory-policy noeviction --dir /var/lib/redis --logfile /var/log/redis/ci.log
  elif docker info >/dev/null 2>&1; then
    docker compose up -d redis
  else
    echo "Redis is not running on 127.0.0.1:6379: start it, or run 'docker compose up -d postgres redis'" >&2
    exit 1
  fi
fi

for _ in $(seq 1 30); do pg_up && redis_up && break; sleep 1; done
pg_up || { echo "PostgreSQL did not come up on 127.0.0.1:5432" >&2; exit 1; }
redis_up || { echo "Redis did not come up on 127.0.0.1:6379" >&2; exit 1; }
# The tests use the database `test`; create it where a fresh server lacks it.
if command -v psql >/dev/null && ! psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
  createdb -h 127.0.0.1 -U postgres test 2>/dev/null || true
fi

# The dashboard's browser test drives Debian's Chromium: installed with apt where it is missing.
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the browser test"
  SUDO=$([ "$(id -u)" -eq 0 ] || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium
fi

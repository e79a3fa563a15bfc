#!/usr/bin/env bash
# Installs what the tests need beyond npm packages: Debian's Chromium (Playwright cannot
# download its own browsers on these machines), redis-server for the fault tests, and the
# local database (FerretDB, built with Go). Safe to run repeatedly.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if [ ! -x /usr/bin/chromium ]; then
  echo "setup-test: installing Debian's chromium for the browser tests..." >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup-test: /usr/bin/chromium is missing; install the 'chromium' package (root needed)." >&2
    exit 1
  fi
fi

# The fault tests run private redis-server processes (never the machine's own Redis).
if ! command -v redis-server >/dev/null 2>&1; then
  echo "setup-test: installing Debian's redis-server for the fault tests..." >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "setup-test: redis-server is missing; install the 'redis-server' package (root needed)." >&2
    exit 1
  fi
fi

bash "$root/scripts/install-ferretdb.sh"

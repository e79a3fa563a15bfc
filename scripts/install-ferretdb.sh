#!/usr/bin/env bash
# Builds FerretDB (Apache-2.0, speaks the MongoDB wire protocol) into .tools/bin, the
# local database for development and tests. Idempotent: does nothing when the binary
# of the pinned version is already there. Needs Go (https://go.dev/dl/).
set -euo pipefail
VERSION=v1.24.2
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tools/bin/ferretdb"

# (grep without -q: -q exits at the first match and, under pipefail, the writer's SIGPIPE would fail the test)
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep "version: $VERSION" >/dev/null; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  [ -x /usr/local/go/bin/go ] && export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  echo "install-ferretdb: Go is needed to build the local database (https://go.dev/dl/), or set MONGODB_URI to a MongoDB you run." >&2
  exit 1
fi

echo "install-ferretdb: building FerretDB $VERSION (about a minute, once)..." >&2
src="$(go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$src/." "$work/"
chmod -R u+w "$work"
# `go install pkg@version` builds a binary that panics at start: the module ships without
# the generated build/version/version.txt. Building from a copy with that file written
# gives the real, unmodified FerretDB.
echo "$VERSION" > "$work/build/version/version.txt"
mkdir -p "$(dirname "$bin")"
(cd "$work" && CGO_ENABLED=0 go build -trimpath -o "$bin" ./cmd/ferretdb)
# sed, not head: head exits after one line and, under pipefail, FerretDB's SIGPIPE on its
# next line would fail the script (it did, in a fresh-clone run).
"$bin" --version | sed -n 1p >&2

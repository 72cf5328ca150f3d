#!/usr/bin/env bash
# `npm run demo`: installs what is missing, then runs the whole pipeline on the bundled sample export.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
exec node -r tsx/cjs src/starters/demo.ts "$@"

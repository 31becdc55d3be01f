#!/usr/bin/env bash
# The whole suite: tools check/installation, lint (types, eslint, layering), then every test
# (unit, integration against real peers, browser end-to-end). Used by `npm test` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh
npm run --silent lint
npx vitest run "$@"

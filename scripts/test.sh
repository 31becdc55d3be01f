#!/usr/bin/env bash
# The whole suite: tools check/installation, lint (types, eslint, layering), then every test
# (unit, integration against real peers, browser end-to-end). Used by `npm test` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh
npm run --silent lint
mkdir -p test/artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test/artifacts/vitest.json "$@" || status=$?
# One plain closing line for CI readers: "N passed, N failed".
node -e '
  const r = JSON.parse(require("fs").readFileSync("test/artifacts/vitest.json", "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true
exit $status

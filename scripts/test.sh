#!/usr/bin/env bash
# The whole test suite: services up, type check, every spec, and a last plain line of counts.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh || exit 1
npm run -s typecheck || exit 1
# Some suites run the compiled service as its own process (crash and start-up tests).
npm run -s build || exit 1
mkdir -p test-artifacts
node --experimental-vm-modules node_modules/jest/bin/jest.js --json --outputFile=test-artifacts/jest-results.json "$@"
status=$?
node -e '
  const r = require("./test-artifacts/jest-results.json");
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' 2>/dev/null || true
exit $status

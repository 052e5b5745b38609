#!/usr/bin/env bash
# The whole test suite: services up, type check, every spec, and a last plain line of counts.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh || exit 1
npm run -s typecheck || exit 1
# Some suites run the compiled service as its own process (crash and start-up tests).
npm run -s build || exit 1
# Every service a suite starts logs into test-artifacts/logs; the last check looks there for personal data.
rm -rf test-artifacts/logs test-artifacts/jest-results.json test-artifacts/after-results.json
mkdir -p test-artifacts/logs
jest() { node --experimental-vm-modules node_modules/jest/bin/jest.js "$@"; }
jest --json --outputFile=test-artifacts/jest-results.json "$@"
status=$?
# After all of them (a subset too: it then looks at what that subset logged): no personal value they sent is in their logs.
jest --testMatch '**/*.after-spec.ts' --json --outputFile=test-artifacts/after-results.json
after_status=$?
node -e '
  const runs = ["./test-artifacts/jest-results.json", "./test-artifacts/after-results.json"].map((file) => {
    try { return require(file); } catch { return { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 }; }
  });
  const sum = (key) => runs.reduce((total, r) => total + r[key], 0);
  console.log(`tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests") + sum("numTodoTests")} skipped`);
' 2>/dev/null || true
[ "$status" -ne 0 ] && exit "$status"
exit "$after_status"

#!/usr/bin/env bash
# The one test command (npm test): typecheck, lint, every workspace's tests, rule checks.
# Prints a closing "N passed, N failed" line summed over the Jest suites.
set -uo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d)
failed_steps=()

step() {
  local name=$1; shift
  echo "=== $name: $*"
  if ! "$@"; then failed_steps+=("$name"); fi
}

step typecheck npm run -s typecheck
step lint npm run -s lint
step build npm run -s build
for ws in exporter datasource-plugin panel-plugin; do
  if [ -f "$ws/jest.config.js" ]; then
    step "test:$ws" npx jest --config "$ws/jest.config.js" --rootDir "$ws" --ci --json --outputFile "$results/$ws.json"
  fi
done
if [ -x alert-rules/test.sh ]; then step alert-rules bash alert-rules/test.sh; fi

node -e '
  const fs = require("fs"); let p = 0, f = 0;
  for (const file of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + file, "utf8"));
    p += r.numPassedTests; f += r.numFailedTests;
  }
  console.log(`jest: ${p} passed, ${f} failed`);
' "$results"
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "FAILED steps: ${failed_steps[*]}"
  exit 1
fi
echo "all steps passed"

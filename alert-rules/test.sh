#!/usr/bin/env bash
# Tests of alert-rules/ (run by scripts/test-all.sh): rule syntax and lint, rule unit tests,
# conventions, Alertmanager config and routing per severity, then the end-to-end page.
# SAASMON_E2E=0 skips the end-to-end test (it needs Postgres, prometheus and prometheus-alertmanager).
set -euo pipefail
cd "$(dirname "$0")"

echo "--- promtool check rules"
promtool check rules ./*.rules.yml
echo "--- promtool test rules"
promtool test rules tests/*.test.yml
echo "--- conventions"
node check-conventions.mjs
echo "--- amtool check-config"
amtool check-config alertmanager.yml

echo "--- amtool config routes test"
route() {
  local expected=$1; shift
  amtool config routes test --config.file=alertmanager.yml --verify.receivers="$expected" "$@" 2>/dev/null >/dev/null \
    || { echo "route $* -> expected $expected, got $(amtool config routes test --config.file=alertmanager.yml "$@" 2>/dev/null)"; return 1; }
  echo "ok: $* -> $expected"
}
route pager severity=critical domain=dr alertname=SaasDrRpoExposureHigh
route pager severity=critical domain=kpi alertname=SaasKpiActivationLow
route chat severity=warning domain=dr alertname=SaasDrBackupFailed
route chat severity=warning domain=saasmon alertname=SaasmonCollectorFailing
route business severity=warning domain=kpi alertname=SaasKpiActivationLow
route business severity=warning domain=revenue alertname=SaasRevenueMrrDrop
route null severity=info domain=saasmon alertname=SomethingInformational
route heartbeat severity=info domain=saasmon alertname=Watchdog
route chat alertname=NoSeverityLabel

if [ "${SAASMON_E2E:-1}" != 0 ]; then
  echo "--- end-to-end"
  [ -f ../exporter/dist/cli.js ] || npm run -s build -w exporter --prefix ..
  node e2e/dr-page.e2e.mjs
fi
echo "alert-rules: all checks passed"

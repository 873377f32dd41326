#!/usr/bin/env bash
# Tests of alert-rules/ (run by scripts/test-all.sh): rule syntax and lint, rule unit tests,
# conventions, Alertmanager config and routing per severity, then the end-to-end page.
# SAASMON_E2E=0 skips the end-to-end test (it needs Postgres, prometheus and prometheus-alertmanager).
set -euo pipefail
cd "$(dirname "$0")"

echo "--- generated files equal the generator's output (config.yml)"
node mixin/generate.mjs --check
echo "--- the founder playbook's and the alignment system's threshold tables (examples/) generate valid, passing rules"
for example in examples/*.yml; do
  out=$(mktemp -d)
  node mixin/generate.mjs --config "$example" --out "$out" >/dev/null
  promtool check rules "$out"/*.rules.yml >/dev/null
  (cd "$out" && promtool test rules tests/*.test.yml >/dev/null) || { echo "$example: promtool test rules failed in $out"; exit 1; }
  rm -rf "$out"
  echo "ok: $example"
done
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
route pager severity=critical domain=platform audience=ops alertname=SaasPlatformErrorBudgetBurn
route pager severity=critical domain=platform audience=ops alertname=SaasPlatformDiskSpaceHigh
route business severity=critical domain=kpi audience=business alertname=SaasKpiActivationLow
route business severity=critical domain=kpi audience=business alertname=SaasKpiCustomerChurnHigh
route business severity=critical domain=kpi alertname=SaasKpiLtvCacLow
route business severity=warning domain=revenue audience=business alertname=SaasRevenueMrrGrowthLow
route null severity=info domain=kpi audience=business alertname=SomethingInformational
route chat severity=warning domain=dr alertname=SaasDrBackupFailed
route chat severity=warning domain=saasmon alertname=SaasmonCollectorFailing
route business severity=warning domain=kpi alertname=SaasKpiActivationLow
route business severity=warning domain=revenue alertname=SaasRevenueMrrDrop
route null severity=info domain=saasmon alertname=SomethingInformational
route heartbeat severity=info domain=saasmon alertname=Watchdog
route chat alertname=NoSeverityLabel
node -e '
  const am = require("yaml").parse(require("fs").readFileSync("alertmanager.yml", "utf8"));
  const business = am.route.routes.filter((r) => r.receiver === "business");
  if (!business.length || business.some((r) => r.repeat_interval !== "6h")) { console.error("business routes must repeat every 6h"); process.exit(1); }
  console.log("ok: business routes repeat every 6h");'

if [ "${SAASMON_E2E:-1}" != 0 ]; then
  echo "--- end-to-end"
  [ -f ../exporter/dist/cli.js ] || npm run -s build -w exporter --prefix ..
  node e2e/dr-page.e2e.mjs
fi
echo "alert-rules: all checks passed"

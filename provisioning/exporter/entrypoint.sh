#!/bin/sh
# Start of the saasmon exporter container (docker-compose.yml): migrate, load demo data once into an
# empty schema, then serve. Safe to repeat: migrations are no-ops the second time and demo data is
# never written into a schema that already has tenants (so a real database is never touched).
set -eu

CLI="${SAASMON_CLI:-/app/exporter/dist/cli.js}"
: "${DATABASE_URL:?DATABASE_URL must point at the Postgres saasmon reads}"
SCHEMA="${SAASMON_SCHEMA:-saasmon}"

# The exporter keeps only the sha256 of an API token (config api.tokens). Grafana's saasmon
# datasource sends SAASMON_API_TOKEN, so write a config that accepts exactly that token for queries.
if [ -n "${SAASMON_API_TOKEN:-}" ] && [ -z "${SAASMON_CONFIG:-}" ]; then
  SAASMON_CONFIG=/tmp/saasmon.yml
  export SAASMON_CONFIG
  node -e '
    const sha256 = require("node:crypto").createHash("sha256").update(process.env.SAASMON_API_TOKEN).digest("hex");
    process.stdout.write(`api:\n  tokens:\n    - name: grafana\n      sha256: ${sha256}\n      scopes: [query]\n`);
  ' > "$SAASMON_CONFIG"
fi

node "$CLI" migrate

SCALE="${SAASMON_DEMO_SCALE:-S}"
if [ "$SCALE" != "none" ]; then
  # exit 0: the schema has tenants, 1: it is empty, anything else: the check itself failed.
  set +e
  node -e '
    require(require("node:path").join(require("node:path").dirname(process.argv[2]), "demo/detect.js"))
      .hasAnyTenant(process.env.DATABASE_URL, process.argv[1])
      .then((any) => process.exit(any ? 0 : 1), (err) => { console.error(err); process.exit(2); });
  ' "$SCHEMA" "$CLI"
  has_data=$?
  set -e
  case "$has_data" in
    0) echo "saasmon: schema $SCHEMA already has data; demo data not loaded" ;;
    1) echo "saasmon: empty schema $SCHEMA; loading demo data (scale $SCALE)"
       node "$CLI" demo --scale "$SCALE" ;;
    *) exit "$has_data" ;;
  esac
fi

exec node "$CLI" serve --no-migrate

#!/usr/bin/env bash
# Builds the plugin and starts it in Grafana. With no FASTLY_API_TOKEN in the environment it
# starts the built-in Fastly simulator and points the provisioned data source at it.
# FASTLY_ALERT_SERVICES (comma-separated service ids) chooses the services the real-time and
# origin alert rules watch; with the simulator it defaults to its shop service.
#
# Grafana comes from docker compose where a Docker engine runs (the create-plugin convention),
# else from a local `grafana` server binary; with neither, it says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
run_dir="$root/.run"
mkdir -p "$run_dir"

echo "==> Building the frontend and the backend"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
go run github.com/magefile/mage -v build:linux

have_docker=false
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  have_docker=true
fi
grafana_bin=$(command -v grafana || command -v grafana-server || true)
if ! $have_docker && [ -z "$grafana_bin" ]; then
  cat >&2 <<MSG

The plugin is built in dist/, but there is no Grafana to start it in. This command needs one of:
  - a running Docker engine with the compose plugin ('docker info' must succeed), or
  - a Grafana server binary on the PATH ('grafana' or 'grafana-server', Grafana 12.4 or newer:
    https://grafana.com/grafana/download).
To use the plugin with a Grafana you already run, copy dist/ to its plugins folder as
opsdeck-fastly-datasource and allow it unsigned (GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).
The Fastly simulator runs on its own with: go run ./pkg/cmd/fastlysim -addr 127.0.0.1:8090
MSG
  exit 2
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

if [ -z "${FASTLY_API_TOKEN:-}" ]; then
  echo "==> No FASTLY_API_TOKEN: starting the Fastly simulator"
  go build -o "$run_dir/fastlysim" ./pkg/cmd/fastlysim
  bind=127.0.0.1
  $have_docker && bind=0.0.0.0
  # FASTLYSIM_INCIDENT=SERVICE_ID=SCENARIO plays an incident, so the provisioned alerts fire;
  # FASTLYSIM_DATACENTER_FILTER=ignored plays a Fastly without the stats POP filter.
  "$run_dir/fastlysim" -addr "$bind:${FASTLYSIM_PORT:-0}" -token sim-token \
    ${FASTLYSIM_INCIDENT:+-incident "$FASTLYSIM_INCIDENT"} \
    ${FASTLYSIM_DATACENTER_FILTER:+-datacenter-filter "$FASTLYSIM_DATACENTER_FILTER"} >"$run_dir/fastlysim.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    sim_url=$(grep -o 'http://[0-9.:]*' "$run_dir/fastlysim.log" | head -n 1 || true)
    [ -n "$sim_url" ] && break
    sleep 0.1
  done
  [ -n "$sim_url" ] || { echo "The simulator did not start; see $run_dir/fastlysim.log" >&2; exit 1; }
  echo "    simulator at $sim_url"
  if $have_docker; then
    sim_url="http://host.docker.internal:${sim_url##*:}"
  fi
  export FASTLY_API_TOKEN=sim-token FASTLY_API_URL="$sim_url" FASTLY_REALTIME_URL="$sim_url"
  # the alert rules that name services watch the simulator's busy shop service
  export FASTLY_ALERT_SERVICES="${FASTLY_ALERT_SERVICES:-SU1Z0isxPaozGVKXdv0eY}"
fi
export FASTLY_API_URL="${FASTLY_API_URL:-}" FASTLY_REALTIME_URL="${FASTLY_REALTIME_URL:-}"

# Alert rules that name services (docs/dashboards-and-alerts.md, "Alert rules"): written for FASTLY_ALERT_SERVICES, and
# removed without it, so a real account never gets rules for a service it does not have.
service_alerts="$root/provisioning/alerting/fastly-service-alerts.yaml"
if [ -n "${FASTLY_ALERT_SERVICES:-}" ]; then
  scripts/service-alerts.sh "$FASTLY_ALERT_SERVICES" >"$service_alerts"
  echo "==> Service alert rules for $FASTLY_ALERT_SERVICES"
else
  rm -f "$service_alerts"
  echo "==> No FASTLY_ALERT_SERVICES: only the alert rules over every service are provisioned"
fi

if $have_docker; then
  echo "==> Starting Grafana with docker compose on http://localhost:3000"
  docker compose up --build
  exit
fi

echo "==> Starting $grafana_bin on http://localhost:${GRAFANA_PORT:-3000}"
plugins="$run_dir/plugins"
mkdir -p "$plugins" "$run_dir/grafana-data"
ln -sfn "$root/dist" "$plugins/opsdeck-fastly-datasource"
# Debian/RPM packages keep Grafana's home in /usr/share/grafana; a tarball keeps it above bin/.
homepath=${GRAFANA_HOME:-/usr/share/grafana}
[ -d "$homepath" ] || homepath=$(dirname "$(dirname "$(readlink -f "$grafana_bin")")")
export GF_PATHS_PLUGINS="$plugins" GF_PATHS_PROVISIONING="$root/provisioning" GF_PATHS_DATA="$run_dir/grafana-data"
export GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=opsdeck-fastly-datasource GF_SERVER_HTTP_PORT="${GRAFANA_PORT:-3000}"
export GF_AUTH_ANONYMOUS_ENABLED=true GF_AUTH_ANONYMOUS_ORG_ROLE=Admin GF_DEFAULT_APP_MODE=development
# the live incident dashboard refreshes every second; Grafana's default floor is 5 s
export GF_DASHBOARDS_MIN_REFRESH_INTERVAL=1s
if [ "$(basename "$grafana_bin")" = grafana ]; then
  "$grafana_bin" server --homepath "$homepath" &
else
  "$grafana_bin" --homepath "$homepath" &
fi
pids+=($!)
wait "${pids[-1]}"

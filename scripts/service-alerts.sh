#!/usr/bin/env bash
# Prints the Fastly alert rules that name services (real-time traffic stopped, Origin Inspector
# latency and 5xx) for the given service ids, in Grafana's alerting provisioning format:
#
#   scripts/service-alerts.sh SERVICE_ID[,SERVICE_ID...] > <grafana provisioning>/alerting/fastly-service-alerts.yaml
#
# The ids may come from FASTLY_ALERT_SERVICES instead. Grafana cannot take them from the
# environment itself: it passes a provisioned rule's query model on unexpanded. The rules come
# from provisioning/templates/fastly-service-alerts.yaml; run this again to change the services.
set -euo pipefail

ids=${1:-${FASTLY_ALERT_SERVICES:-}}
if [ -z "$ids" ]; then
  echo "usage: $0 SERVICE_ID[,SERVICE_ID...]   (or set FASTLY_ALERT_SERVICES)" >&2
  exit 2
fi
list=""
count=0
IFS=',' read -ra parts <<<"$ids"
for id in "${parts[@]}"; do
  id=${id//[[:space:]]/}
  [ -n "$id" ] || continue
  if ! [[ $id =~ ^[A-Za-z0-9]{1,64}$ ]]; then
    echo "service-alerts: '$id' is not a Fastly service id: ids are letters and digits, like SU1Z0isxPaozGVKXdv0eY" >&2
    exit 2
  fi
  list+="${list:+, }\"$id\"" # quoted: an id of digits would otherwise be a YAML number
  count=$((count + 1))
done
if [ "$count" -eq 0 ]; then
  echo "service-alerts: no service id given" >&2
  exit 2
fi
if [ "$count" -gt 10 ]; then
  echo "service-alerts: $count services, but a real-time rule takes at most 10: pick the ones whose traffic must not stop" >&2
  exit 2
fi

template="$(dirname "$0")/../provisioning/templates/fastly-service-alerts.yaml"
echo "# Written by scripts/service-alerts.sh from provisioning/templates/fastly-service-alerts.yaml"
echo "# for $list. Run it again to change the services; edits here are lost then."
sed -e '/^#/d' -e "s/\[\$FASTLY_ALERT_SERVICES\]/[$list]/" "$template"

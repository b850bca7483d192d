#!/usr/bin/env bash
# Builds the plugin for Grafana's catalog: the frontend and the backend into dist/, then
# artifacts/<plugin id>-<version>.zip (one top folder named after the plugin id, binaries with
# exec bits, module.js, plugin.json, go_plugin_build_manifest, README, CHANGELOG, LICENSE, img/)
# and its .sha1, and checks the zip as the catalog's validator would.
#
#   scripts/package.sh               the six platforms the catalog wants (~7 minutes here)
#   scripts/package.sh --linux-only  linux/amd64 only, for CI: same layout and checks
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(build:linux build:linuxARM64 build:darwin build:darwinARM64 build:windows "build:custom windows arm64")
platforms=linux_amd64,linux_arm64,darwin_amd64,darwin_arm64,windows_amd64,windows_arm64
case "${1:-}" in
  "") ;;
  --linux-only) targets=(build:linux); platforms=linux_amd64 ;;
  *) echo "usage: $0 [--linux-only]" >&2; exit 2 ;;
esac

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
rm -rf dist
npm run build
for target in "${targets[@]}"; do
  # shellcheck disable=SC2086 # "build:custom windows arm64" is a target and its two arguments
  go run github.com/magefile/mage -v $target
done
go run ./tools/cmd/packageplugin -dist dist -out artifacts -platforms "$platforms"

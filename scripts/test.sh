#!/usr/bin/env bash
# Runs every test of the project from a fresh checkout: it installs what it needs first
# (Go modules, npm packages, Debian's Chromium for the browser check), then the Go unit, race
# and end-to-end tests, and the frontend's typecheck, lint, unit tests, build and browser check,
# against both package sets (@grafana/* 12.4 with React 18, and 13.2 with React 19).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Installing what the tests need"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get install -y chromium' (Debian) and try again." >&2
    exit 1
  fi
fi
go mod download
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# the second package set (Grafana 13.2, React 19), from its own lock file
set13=tests/grafana-13
if [ ! -d $set13/node_modules ] || [ $set13/package-lock.json -nt $set13/node_modules/.package-lock.json ]; then
  npm ci --prefix $set13 --no-audit --no-fund
fi

step "Go: formatting and vet"
unformatted=$(gofmt -l pkg e2e tools Magefile.go)
if [ -n "$unformatted" ]; then
  echo "These files need gofmt -w: $unformatted" >&2
  exit 1
fi
go vet ./pkg/... ./e2e/... ./tools/...

step "Go: golangci-lint"
lint_version=v2.15.0
lint="$(go env GOPATH)/bin/golangci-lint"
if ! "$lint" version 2>/dev/null | grep -q "${lint_version#v}"; then
  go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$lint_version"
fi
"$lint" run --allow-parallel-runners ./pkg/... ./e2e/... ./tools/...

step "Go: unit tests with the race detector"
go test -race -count=1 ./pkg/... ./tools/...

step "Go: a short fuzz run of every decoder and parser (FUZZTIME each, default 5s)"
# A failing input is written to the package's testdata/fuzz/<target>/; commit it, and every
# later 'go test' replays it as a regression test.
fuzz() { go test -run '^$' -fuzz "^$2\$" -fuzztime "${FUZZTIME:-5s}" "$1"; }
fuzz ./pkg/fastly FuzzDecodeStats
fuzz ./pkg/fastly FuzzDecodeRealtime
fuzz ./pkg/fastly FuzzDecodeInspector
fuzz ./pkg/fastly FuzzDecodeInspectorRealtime
fuzz ./pkg/plugin FuzzParseQuery
fuzz ./pkg/live FuzzParseChannel

step "Go: end-to-end tests (the real plugin binary over gRPC against the simulator)"
go test -count=1 ./e2e/...

step "Frontend: typecheck, lint, unit tests, build"
npm run typecheck
npm run lint
npm run test:ci
npm run build

step "Frontend against Grafana 13.2 and React 19 ($set13): typecheck, unit tests, levitate"
npm run typecheck:grafana13
npm run test:ci:grafana13
npm run levitate

step "End-to-end tests with @grafana/plugin-e2e: type-checked above, listed, NOT run (they need a Grafana: scripts/run.sh, then npm run e2e)"
npx playwright test --list

step "Frontend: browser check in Chromium, with each package set"
npm run test:browser
SKIP_BUILD=1 npm run test:browser:grafana13

step "Package as the plugin catalog expects (linux only here; the default builds all six)"
bash scripts/package.sh --linux-only

step "The plugin catalog's checks: the validator's rules that need no network (tools/catalogcheck)"
go run ./tools/cmd/catalogcheck -platforms linux_amd64

echo
echo "All tests passed."

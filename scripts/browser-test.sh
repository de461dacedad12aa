#!/usr/bin/env bash
# Browser tests of the web page: playwright-core (npm) drives Debian's Chromium against
# `dossier serve` on a store built from sample/. Installs chromium and node/npm when missing
# (apt), writes docs/screenshot.png, stops the server. Idempotent; quiet unless a step fails.
#   scripts/browser-test.sh            build, ingest, serve, test
#   DOSSIER_BIN=path scripts/browser-test.sh   use an existing binary (skips the build)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tests=crates/dossier-server/tests/browser
log=$(mktemp)
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp" "$log"
}
trap cleanup EXIT

# Run a step quietly; on failure print its output and stop.
step() {
  local name=$1; shift
  if ! "$@" >"$log" 2>&1; then
    echo "browser-test: $name failed:" >&2
    tail -n 60 "$log" >&2
    exit 1
  fi
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need_apt+=(chromium)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "apt-get update" as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  step "apt-get install ${need_apt[*]}" as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_apt[@]}"
fi
export CHROMIUM=${CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}

if [ ! -d "$tests/node_modules/playwright-core" ]; then
  if [ -f "$tests/package-lock.json" ]; then
    step "npm ci" npm ci --prefix "$tests" --no-audit --no-fund --loglevel=error
  else
    step "npm install" npm install --prefix "$tests" --no-audit --no-fund --loglevel=error
  fi
fi

if [ -z "${DOSSIER_BIN:-}" ]; then
  step "cargo build" cargo build --release -q -p dossier-cli --bin dossier
  DOSSIER_BIN=${CARGO_TARGET_DIR:-$root/target}/release/dossier
fi
step "ingest sample/" "$DOSSIER_BIN" --store "$tmp/sample.db" ingest --quiet sample/

"$DOSSIER_BIN" --store "$tmp/sample.db" serve --addr 127.0.0.1:0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$tmp/serve.out" | head -n 1)
if [ -z "$url" ]; then
  echo "browser-test: dossier serve did not start:" >&2
  cat "$tmp/serve.err" >&2
  exit 1
fi

mkdir -p docs
status=0
DOSSIER_URL="$url" DOSSIER_SCREENSHOT="$root/docs/screenshot.png" \
  node --test --test-concurrency=1 --test-reporter=spec "$tests"/*.test.mjs >"$log" 2>&1 || status=$?
if [ $status -ne 0 ]; then
  echo "browser-test: tests failed:" >&2
  cat "$log" >&2
  exit $status
fi
grep -ho "10k events.*" "$log" || true
echo "browser-test: ok (screenshot in docs/screenshot.png)"

#!/usr/bin/env bash
# Load test of the HTTP API on loopback: start `dossier serve` on a fresh store with the given
# corpus ingested, then run dossier-load (a second process) against it while it ingests more
# by POST. Bounded in requests and time; stops the server at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/data/corpora/fundus-parser-fixtures}"
more="${2:-../shared/data/corpora/readability-test-pages-news}"
bin=./target/release
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
"$bin/dossier" --store "$tmp/load.db" ingest --quiet "$corpus" >/dev/null || true
"$bin/dossier" --store "$tmp/load.db" serve --addr 127.0.0.1:0 > "$tmp/serve.out" 2>/dev/null &
pid=$!
for _ in $(seq 50); do grep -q listening "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$tmp/serve.out")
"$bin/dossier-load" "$url" --requests 3000 --concurrency 4 --seconds 60 --ingest-dir "$more"

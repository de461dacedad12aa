#!/usr/bin/env bash
# Run every fuzz target for SECONDS (default 30) each. Needs cargo-fuzz (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-30}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz
export RUSTC_BOOTSTRAP=1
for t in html warc feed jsonl input time; do
  echo "== fuzz $t (${secs}s)"
  cargo fuzz run "$t" --release -- -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10
done

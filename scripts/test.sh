#!/usr/bin/env bash
# Run every test. Installs PostgreSQL (Debian's package) when missing so that the store suite
# also runs on a real, throwaway PostgreSQL server started by pg_virtualenv (no Docker).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pg_virtualenv >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql util-linux >/dev/null
fi
exec pg_virtualenv cargo test --workspace "$@"

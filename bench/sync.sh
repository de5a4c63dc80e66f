#!/usr/bin/env bash
# The sync benchmark: `promise sync` on 10,000 promises with 10 changes on each side, through a
# file remote (a bare repository on the local disk).
#   bench/sync.sh
#   PROMISES=100000 ROUNDS=5 bench/sync.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v git >/dev/null || { echo "bench: git is not installed (apt-get install git)" >&2; exit 1; }
exec cargo bench --quiet --bench sync

#!/usr/bin/env bash
# Start-up: `promise --version` and `promise prompt` (20 open promises) against a PIE hello-world
# built with the same profile, interleaved; prints medians, ratios, ELF type and relocations.
#   bench/startup.sh
#   ROUNDS=1001 bench/startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo bench --quiet --bench startup

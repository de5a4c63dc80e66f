#!/usr/bin/env bash
# The benchmark, from the README: whole-process medians of promise, its floor and Taskwarrior.
#   bench/run.sh                       all sizes (0, 1k, 10k, 100k closed promises)
#   SIZES=0,10000 ROUNDS=11 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v task >/dev/null || echo "bench: taskwarrior is not installed (apt-get install taskwarrior); measuring promise only" >&2
exec cargo bench --quiet --bench whole_process

#!/usr/bin/env bash
# The benchmark, from the README: whole-process medians of promise, its floor and Taskwarrior.
#   bench/run.sh                       every store (0, 1k, 10k, 100k closed, 100k/5y, heavy)
#   STORES=0,100000 ROUNDS=11 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v task >/dev/null || echo "bench: taskwarrior is not installed (apt-get install taskwarrior); measuring promise only" >&2
# The PIE hello-world the start-up is measured against, built with the same profile.
cargo build --quiet --release --example hello
exec cargo bench --quiet --bench whole_process

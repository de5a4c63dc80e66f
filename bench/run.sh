#!/usr/bin/env bash
# Whole-process benchmark of promise against its own floor (`promise --version`).
#
#   bench/run.sh                 # history sizes 0, 1000, 10000 closed promises (+20 open)
#   SIZES="0 100000" bench/run.sh
#
# Needs hyperfine (Debian: apt-get install hyperfine). Prints medians and ratios to --version;
# the figures of a run are kept in BENCHMARKS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"0 1000 10000"}
RUNS=${RUNS:-30}
OPEN=${OPEN:-20}

command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }
cargo build --release --quiet --bin promise --example gen_store
bin=$PWD/target/release/promise
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export TZ=Europe/Helsinki PROMISE_NOW=2026-11-23T10:30:00+02:00 NO_COLOR=1
export PROMISE_CONFIG=$work/config.toml
: > "$PROMISE_CONFIG"

for n in $SIZES; do
  dir=$work/store-$n
  target/release/examples/gen_store "$dir" "$n" "$OPEN"
  cp "$dir/open.toml" "$work/open-$n.toml"
  export PROMISE_DATA_DIR=$dir
  # `add` changes the store, so every run starts from the same open.toml.
  hyperfine --style none --warmup 3 --runs "$RUNS" -N \
    --export-json "$work/result-$n.json" \
    --prepare true --prepare true --prepare "cp $work/open-$n.toml $dir/open.toml" \
    --command-name "version" "$bin --version" \
    --command-name "list" "$bin list" \
    --command-name "add" "$bin add 'Benchmark promise' --to 'Acme Oy' --due 'friday 12:00' --quiet" \
    >/dev/null
done

python3 - "$work" $SIZES <<'PY'
import json, sys, platform, os
work, sizes = sys.argv[1], sys.argv[2:]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
print(f"{'closed':>8} {'command':<10} {'median ms':>10} {'× version':>12}")
for n in sizes:
    results = {r["command"]: r for r in json.load(open(f"{work}/result-{n}.json"))["results"]}
    floor = results["version"]["median"]
    for name, r in results.items():
        print(f"{n:>8} {name:<10} {r['median']*1000:>10.2f} {r['median']/floor:>12.2f}")
PY

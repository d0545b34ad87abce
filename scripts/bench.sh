#!/usr/bin/env bash
# Browser benchmarks: medians in headless Chromium (release-optimised wasm), against the
# simulator on loopback. Prints the `bench:` lines that docs/performance.md quotes, then
# the performance table of issue 20 (Markdown: figure, measured, goal, met?).
#
# Every step's output goes to a file; a step that fails prints that output and a
# `bench: FAILED <step>` line, and the script exits non-zero. It never ends silently.
#   scripts/bench.sh                      everything (about 13 minutes with a warm build folder
#                                         on 2 cores shared with other builds)
#   BENCH_SIZES=100000 BENCH_ROUNDS=1     one size, one round (see bench_explorer.rs)
#   BENCH_PARTS=explorer,paced,find       which browser parts run (all by default)
#   BENCH_PACE_WINDOW_MS=2000             the simulator's "minute" in the paced load
#   BENCH_SKIP_WASM=1                     skip the wasm micro-benchmarks (tests/bench.rs)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# wasm-bindgen-test-runner gives the whole wasm test binary 20 s by default; the seven
# benchmarks of tests/bench.rs take 40 s or more on a busy machine, so the runner used to
# give up ("Failed to detect test as having been run") and nothing was printed.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-900}"
target=${CARGO_TARGET_DIR:-target}

started=$(date +%s)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

elapsed() { echo "$(( $(date +%s) - started )) s"; }

# fail STEP WHY [LOG]: shows the step's output, then says what failed, and exits.
fail() {
  if [ -n "${3:-}" ] && [ -f "$3" ]; then
    echo "----- output of: $1 -----" >&2
    cat "$3" >&2
    echo "----- end of the output of: $1 -----" >&2
  fi
  echo "bench: FAILED $1: $2 (after $(elapsed))" >&2
  exit 1
}

# step NAME COMMAND…: runs COMMAND with its output kept in $logs/NAME.log; a failure ends
# the script with that output shown.
step() {
  local name=$1
  shift
  local log="$logs/$name.log" t0 rc=0
  t0=$(date +%s)
  echo "bench.sh: $name…" >&2
  "$@" >"$log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "$name" "exit status $rc of: $*" "$log"
  fi
  echo "bench.sh: $name done in $(( $(date +%s) - t0 )) s" >&2
}

# bench_lines NAME MIN: prints the `bench:` lines of step NAME's output; fewer than MIN
# of them is a failure (a benchmark that ran but measured nothing).
bench_lines() {
  local log="$logs/$1.log" n
  n=$(grep -cE '^ *bench:' "$log" || true)
  if [ "$n" -lt "$2" ]; then
    fail "$1" "$n bench: lines, expected at least $2" "$log"
  fi
  grep -E '^ *bench:' "$log" | sed 's/^ *//'
}

step tools scripts/install-tools.sh --browser

# 1. Micro-benchmarks in the browser (tests/bench.rs, release-optimised wasm, the simulator
#    for the HTTP ones): decoding, index, table, lookup, bulk, bulk IDs, payload viewer.
if [ -z "${BENCH_SKIP_WASM:-}" ]; then
  step wasm-benchmarks scripts/with-sim.sh cargo test -p hookscope --release \
    --target wasm32-unknown-unknown --test bench -- --nocapture
  grep -qE '^test result: ok\. [0-9]+ passed; 0 failed' "$logs/wasm-benchmarks.log" ||
    fail wasm-benchmarks "the runner did not say that every benchmark of tests/bench.rs passed" "$logs/wasm-benchmarks.log"
  bench_lines wasm-benchmarks 10
fi

# 2. The release build, and what it downloads (cargo xtask sizes: the size rows of the
#    table).
step release-build trunk build --release
step sizes cargo xtask sizes
# Its "what a visit downloads in all" rows: name, raw, gzip, brotli bytes, (in kB).
grep -E '^  (first load|first lookup|demo first visit) +[0-9]+ +[0-9]+ +[0-9]+ ' "$logs/sizes.log" |
  sed -E 's/^  ([a-z ]+[a-z]) +([0-9]+) +([0-9]+) +([0-9]+) +\((.*)\)$/bench: what the \1 downloads: \5 (\2 bytes raw)/' ||
  fail sizes "no visit sizes in the report" "$logs/sizes.log"

# 3. The explorer against a hand-written vanilla-JS page (bench/explorer/) over the same
#    generated deliveries from the simulator, alternately in one headless Chromium; the
#    longest main-thread task while the rows load; a paced Talkover load against the
#    simulator's rate limit; finding a call. Then the table.
step build-browser-benchmark cargo build -q --release -p hookscope-e2e --bin bench_explorer
export BENCH_SIZES_FILE="$logs/sizes.log"
step browser-benchmark "$target/release/bench_explorer"
bench_lines browser-benchmark 3
if ! grep -q '^| figure | measured | goal | met? |$' "$logs/browser-benchmark.log"; then
  fail browser-benchmark "it printed no table" "$logs/browser-benchmark.log"
fi
echo
echo "The performance table (issue 20), measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores:"
echo
grep -E '^\|' "$logs/browser-benchmark.log"
echo
echo "bench: all done in $(elapsed)"

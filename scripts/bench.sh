#!/usr/bin/env bash
# Browser benchmarks: medians in headless Chromium (release-optimised wasm), against the
# simulator on loopback. Prints the `bench:` lines that the README quotes.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh --browser
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
# --release: measure optimised code, as shipped (the test harness adds little).
scripts/with-sim.sh cargo test -p hookscope --release --target wasm32-unknown-unknown --test bench -- --nocapture 2>&1 | grep -E '^ *bench:' | sed 's/^ *//'
# The explorer against a hand-written vanilla-JS page (bench/explorer/) over the same
# generated deliveries from the simulator, alternately in one headless Chromium.
# Then finding a call (Enter to the card with its diagnosis). A run that cannot measure
# fails with its output shown, not filtered away.
trunk build --release >/dev/null 2>&1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
if ! cargo run -q -p hookscope-e2e --bin bench_explorer --release >"$out" 2>&1; then
  cat "$out" >&2
  echo "bench: the browser benchmark failed (output above)" >&2
  exit 1
fi
grep -E '^ *bench:' "$out" | sed 's/^ *//'

#!/usr/bin/env bash
# Runs every test layer, installing whatever is missing first:
#   1. format and lint (cargo fmt --check, leptosfmt --check, clippy -D warnings, host and wasm)
#   2. host unit tests (core adapters on the vendors' documented examples, simulator, app logic)
#   3. fuzzing: the decoders and every parser of pasted or linked input, 30 s each
#   4. component tests: wasm-bindgen-test in headless Chromium, real HTTP to the simulator
#   5. end-to-end: the release build (Trunk + wasm-opt) in headless Chromium via chromedriver,
#      and the sub-path build behind Debian's nginx (deploy/nginx/hookscope.conf)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh --browser
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
# Property tests run the same cases on every machine (a longer, random run is
# `PROPTEST_CASES=100000 cargo test -p hookscope-core --tests` with no seed set).
export PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED:-20261124}"
# A test run is one build: incremental caches would only fill the disk.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# Each step says how much disk is left, so a full disk is seen for what it is.
step() { printf '\n\033[1m==> %s\033[0m  (%s free)\n' "$*" "$(df -h --output=avail . | tail -1 | tr -d ' ')"; }
# Every test runner's output is also kept here, to print one total at the end.
RESULTS=$(mktemp)
tests() { "$@" 2>&1 | tee -a "$RESULTS"; }
trap 'rm -f "$RESULTS"' EXIT

step "format and lint"
cargo fmt --all -- --check
cargo fmt --manifest-path fuzz/Cargo.toml -- --check
# The view! macros, which rustfmt leaves alone (leptosfmt.toml).
leptosfmt --check src >/dev/null || { leptosfmt --check src | grep -v '^✅'; exit 1; }
cargo clippy --workspace --exclude hookscope --all-targets -- -D warnings
cargo clippy -p hookscope --target wasm32-unknown-unknown --all-targets -- -D warnings
# Release builds compile the split points (src/platform/split.rs) another way: lint them too.
cargo clippy -p hookscope --target wasm32-unknown-unknown --release --features split --lib --bins -- -D warnings

step "host unit tests"
tests cargo test -p hookscope-core -p hookscope-sim --lib --tests
# The app's pure code and its architecture invariants (tests/architecture.rs).
tests cargo test -p hookscope --lib --test architecture

step "bounded fuzz run (libFuzzer on the stable toolchain, 30 s per target; scripts/fuzz.sh)"
scripts/fuzz.sh
# The instrumented build serves nothing later; on CI (HOOKSCOPE_LEAN=1, .ci/run) its 1.4 GB go.
if [ "${HOOKSCOPE_LEAN:-}" = 1 ]; then rm -rf fuzz/target; fi

step "component tests (wasm-bindgen-test, headless Chromium, simulator over HTTP)"
tests scripts/with-sim.sh cargo test -p hookscope --target wasm32-unknown-unknown --test web

step "release build (trunk build --release: split, wasm-opt, minify, hashed names, integrity) and its size budgets"
# The release tool's fixture tests first (HTML and loader rewriting, manifest, hashing, budgets).
tests cargo test -p xtask
trunk build --release
# The first load must stay within 250 kB gzip, a first lookup within its own
# budget (crates/xtask/src/sizes.rs).
cargo xtask sizes --budget

step "release build under a sub-path, for the nginx deployment tests"
trunk build --release --public-url /hookscope/ --dist dist-hookscope

step "end-to-end tests (release build, headless Chromium, simulator)"
tests cargo test -p hookscope-e2e --tests -- --test-threads=1

# One closing line for every layer together.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "\ntotal: %d passed, %d failed\n", p, f }' "$RESULTS"

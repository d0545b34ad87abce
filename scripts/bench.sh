#!/usr/bin/env bash
# Browser benchmarks: medians in headless Chromium (release-optimised wasm), against the
# simulator on loopback. Prints the `bench:` lines that the README quotes.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh --browser
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
cargo build -q -p hookscope-sim
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
target/debug/hookscope-sim --addr "127.0.0.1:$PORT" --key sim-key &
SIM=$!
trap 'kill $SIM 2>/dev/null || true' EXIT
for _ in $(seq 50); do (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
export HOOKSCOPE_SIM_URL="http://127.0.0.1:$PORT"
# --release: measure optimised code, as shipped (the test harness adds little).
cargo test -p hookscope --release --target wasm32-unknown-unknown --test bench -- --nocapture 2>&1 | grep -E '^ *bench:' | sed 's/^ *//'

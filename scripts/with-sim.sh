#!/usr/bin/env bash
# Runs a command with the API simulator listening on a free loopback port, its URL in
# HOOKSCOPE_SIM_URL (key: sim-key); stops the simulator afterwards, also on failure.
#   scripts/with-sim.sh cargo test -p hookscope --target wasm32-unknown-unknown --test web
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p hookscope-sim
target=${CARGO_TARGET_DIR:-target}
out=$(mktemp)
# Port 0: the simulator takes a free port and prints its address first.
"$target/debug/hookscope-sim" --addr 127.0.0.1:0 --key sim-key >"$out" &
SIM=$!
trap 'kill $SIM 2>/dev/null || true; rm -f "$out"' EXIT
url=""
for _ in $(seq 100); do
  url=$(sed -n 's/^hookscope-sim listening on //p' "$out")
  [ -n "$url" ] && break
  kill -0 "$SIM" 2>/dev/null || { echo "with-sim: the simulator exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "with-sim: the simulator did not say where it listens" >&2; exit 1; }
export HOOKSCOPE_SIM_URL="$url"
"$@"

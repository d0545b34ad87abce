#!/usr/bin/env bash
# Runs a command with the API simulator listening on a free loopback port, its URL in
# HOOKSCOPE_SIM_URL (key: sim-key); stops the simulator afterwards, also on failure.
#   scripts/with-sim.sh cargo test -p hookscope --target wasm32-unknown-unknown --test web
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p hookscope-sim
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
target/debug/hookscope-sim --addr "127.0.0.1:$PORT" --key sim-key >/dev/null &
SIM=$!
trap 'kill $SIM 2>/dev/null || true' EXIT
for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
export HOOKSCOPE_SIM_URL="http://127.0.0.1:$PORT"
"$@"

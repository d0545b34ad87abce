#!/usr/bin/env bash
# Prints the release build's asset sizes, raw and gzip -9 (what the README reports).
set -euo pipefail
cd "$(dirname "$0")/../dist"
printf '%-8s %10s %10s\n' asset raw gzip
for ext in wasm js css; do
  raw=0; gz=0
  for f in *."$ext"; do
    [ -e "$f" ] || continue
    raw=$((raw + $(stat -c %s "$f")))
    gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
  done
  printf '%-8s %10s %10s\n' "$ext" "$raw" "$gz"
done

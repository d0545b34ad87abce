#!/usr/bin/env bash
# Prints the release build's asset sizes, raw and gzip -9 (what the README reports), and
# the first load: everything index.html pulls in (all of dist/, as nothing loads later).
set -euo pipefail
cd "$(dirname "$0")/../dist"
printf '%-8s %10s %10s\n' asset raw gzip
total_raw=0; total_gz=0
for ext in wasm js css html; do
  raw=0; gz=0
  for f in *."$ext"; do
    [ -e "$f" ] || continue
    raw=$((raw + $(stat -c %s "$f")))
    gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
  done
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-8s %10s %10s\n' "$ext" "$raw" "$gz"
done
printf '%-8s %10s %10s\n' total "$total_raw" "$total_gz"

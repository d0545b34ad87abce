#!/usr/bin/env bash
# Prints the release build's sizes, raw and gzip -9 (what the README reports):
#  - the first load: index.html and everything it pulls in before the first page is drawn
#    (its scripts and stylesheet, the JS they import, the main wasm);
#  - what each part loaded on first use adds (scripts/release.sh lists which wasm files
#    each split point needs in target/release-chunks.txt), and the paths people take:
#    a first lookup, the demo's first visit (a lookup on demo data), the bulk page;
#  - every file of dist/.
# Run `trunk build --release` first. With `--budget BYTES` it fails when the first load's
# gzip total is larger (the test command holds it to issue 9's 250 kB).
set -euo pipefail
budget=""
if [ "${1:-}" = "--budget" ]; then budget=${2:?--budget needs a number of bytes}; fi
root="$(cd "$(dirname "$0")/.." && pwd)"
dist="$root/dist"
manifest="${CARGO_TARGET_DIR:-$root/target}/release-chunks.txt"
cd "$dist"
[ -f index.html ] || { echo "sizes: no dist/index.html (run trunk build --release)" >&2; exit 1; }
[ -f "$manifest" ] || { echo "sizes: no $manifest (made by scripts/release.sh)" >&2; exit 1; }

raw() { stat -c %s "$1"; }
gz() { gzip -9 -c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f kB", b / 1000 }'; }

# The first load: what index.html names (links and the boot script), and the JS those
# import statically (wasm-bindgen's JS imports the split loader).
first=(index.html)
for f in $(grep -o '\(href\|src\)="[^"]*"' index.html | sed 's/.*="\([^"]*\)"/\1/' | xargs -r -n1 basename); do
  first+=("$f")
done
for js in "${first[@]}"; do
  case "$js" in *.js)
    for f in $(grep -o 'from *"\./[^"]*\.js"' "$js" | sed 's/.*"\.\/\([^"]*\)"/\1/'); do first+=("$f"); done
    for f in $(grep -o "from *'[^']*\.js'" "$js" | sed "s/.*'\([^']*\)'/\1/" | xargs -r -n1 basename); do first+=("$f"); done
    ;;
  esac
done
mapfile -t first < <(printf '%s\n' "${first[@]}" | awk '!seen[$0]++')

printf 'first load (index.html and what it pulls in)\n%-8s %10s %10s\n' asset raw gzip
total_raw=0; total_gz=0
for ext in html js css wasm; do
  r=0; g=0
  for f in "${first[@]}"; do
    case "$f" in *."$ext") r=$((r + $(raw "$f"))); g=$((g + $(gz "$f")));; esac
  done
  total_raw=$((total_raw + r)); total_gz=$((total_gz + g))
  printf '%-8s %10s %10s\n' "$ext" "$r" "$g"
done
printf '%-8s %10s %10s   (%s gzip)\n\n' total "$total_raw" "$total_gz" "$(kb "$total_gz")"
first_gz=$total_gz
if [ -n "$budget" ] && [ "$first_gz" -gt "$budget" ]; then
  echo "sizes: the first load is $(kb "$first_gz") gzip, over the budget of $(kb "$budget")." >&2
  echo "sizes: put what the new code needs into a chunk (src/split.rs) or cut elsewhere;" >&2
  echo "sizes: README \"Release build\" shows where the bytes go." >&2
  exit 1
fi

# Each split point's own files and what it shares with others, from the manifest.
needs() { # the wasm files any of the given split points needs, once each
  awk -v want=" $* " '{ for (i = 2; i <= NF; i++) if (index(want, " " $i " ")) { print $1; break } }' "$manifest"
}
sum_gz() { local t=0 f; for f in "$@"; do t=$((t + $(gz "$f"))); done; echo "$t"; }
printf 'loaded on first use (gzip, with the chunks it shares)\n'
for point in $(awk '$1 ~ /^split_/ { print $2 }' "$manifest"); do
  mapfile -t files < <(needs "$point")
  printf '  %-12s %10s   %s files\n' "$point" "$(sum_gz "${files[@]}")" "${#files[@]}"
done
printf '\nwhat a visit downloads in all (gzip)\n'
for path in "first lookup:results" "demo first visit:results demo" "bulk page:bulk" "connections page:connections"; do
  mapfile -t files < <(needs ${path#*:})
  t=$((first_gz + $(sum_gz "${files[@]}")))
  printf '  %-18s %10s   (%s)\n' "${path%%:*}" "$t" "$(kb "$t")"
done

printf '\nevery file in dist/\n%-8s %10s %10s\n' asset raw gzip
total_raw=0; total_gz=0
for ext in html js css wasm; do
  r=0; g=0
  for f in *."$ext"; do
    [ -e "$f" ] || continue
    r=$((r + $(raw "$f"))); g=$((g + $(gz "$f")))
  done
  total_raw=$((total_raw + r)); total_gz=$((total_gz + g))
  printf '%-8s %10s %10s\n' "$ext" "$r" "$g"
done
printf '%-8s %10s %10s\n' total "$total_raw" "$total_gz"

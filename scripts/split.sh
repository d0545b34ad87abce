#!/usr/bin/env bash
# Trunk post-build hook (release builds): cuts the wasm into the part every page needs
# and chunks fetched on first use (src/split.rs), then optimises each with wasm-opt.
#
# Trunk's own pipeline cannot do it: the split must happen before wasm-bindgen, which
# drops the relocations it needs. So this takes the module cargo built (linked with
# --emit-relocs, .cargo/config.toml), splits it with wasm-split-cli
# (wasm_split_cli_support), runs wasm-bindgen on the main part under Trunk's file names,
# and replaces Trunk's output in the staging folder. Chunks and the split loader get
# content-hashed names (cached for a year like Trunk's own files); index.html's integrity
# hashes are recomputed. Debug builds (trunk serve) are not split: src/split.rs calls the
# functions directly there.
set -euo pipefail

[ "${TRUNK_PROFILE:-}" = release ] || exit 0
staging=${TRUNK_STAGING_DIR:?run by trunk}
target=${CARGO_TARGET_DIR:-${TRUNK_SOURCE_DIR:-.}/target}
raw="$target/wasm32-unknown-unknown/release/hookscope.wasm"
[ -f "$raw" ] || { echo "split: no $raw (cargo build output)" >&2; exit 1; }

js=$(cd "$staging" && ls hookscope-*.js | grep -v '_bg' | head -n1)
stem=${js%.js}
[ -f "$staging/${stem}_bg.wasm" ] || { echo "split: no ${stem}_bg.wasm in $staging" >&2; exit 1; }

# The features rustc's wasm32 target emits; wasm-opt must keep to them.
opt=(-Oz --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-mutable-globals --enable-multivalue)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# sha-256 of a file, first 16 hex digits: the hashed name's suffix.
hash16() { sha256sum "$1" | cut -c1-16; }

wasm-split-cli "$raw" "$work/split" --out-name "$stem" >/dev/null
if ! ls "$work"/split/split_*.wasm >/dev/null 2>&1; then
  echo "split: no split points in the module; only optimising it" >&2
  wasm-opt "${opt[@]}" "$staging/${stem}_bg.wasm" -o "$staging/${stem}_bg.wasm"
  exit 0
fi

# --keep-lld-exports: chunks import the main part's function table and memory.
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$work/bg" --out-name "$stem" \
  "$work/split/$stem.wasm"
wasm-opt "${opt[@]}" "$work/bg/${stem}_bg.wasm" -o "$staging/${stem}_bg.wasm"

loader="$work/split/__wasm_split.js"
for chunk in "$work"/split/*.wasm; do
  name=$(basename "$chunk" .wasm)
  [ "$name" = "$stem" ] && continue
  wasm-opt "${opt[@]}" "$chunk" -o "$work/$name.wasm"
  hashed="$name-$(hash16 "$work/$name.wasm").wasm"
  mv "$work/$name.wasm" "$staging/$hashed"
  perl -pi -e "s{\"\\./\Q$name\E\\.wasm\"}{\"./$hashed\"}g" "$loader"
done
grep -q '"\./\(split\|chunk\)_[a-z0-9_]*\.wasm"' "$loader" &&
  { echo "split: a chunk name was not replaced in the loader" >&2; exit 1; }
split_js="split-$(hash16 "$loader").js"
cp "$loader" "$staging/$split_js"

# wasm-bindgen's JS imports the loader `from "./__wasm_split.js"` (that name also keys
# the wasm's imports, which stays).
grep -q 'from "\./__wasm_split\.js"' "$work/bg/$stem.js" ||
  { echo "split: wasm-bindgen's JS does not import the split loader" >&2; exit 1; }
perl -pe "s{from \"\\./__wasm_split\\.js\"}{from \"./$split_js\"}g" "$work/bg/$stem.js" > "$staging/$stem.js"

# wasm-bindgen's snippets (inline JS of dependencies), if any, beside the JS as Trunk puts them.
[ -d "$work/bg/snippets" ] && cp -r "$work/bg/snippets" "$staging/"

# index.html preloads both files with subresource integrity: recompute it.
for f in "$stem.js" "${stem}_bg.wasm"; do
  sri="sha384-$(perl -MDigest::SHA=sha384_base64 -e 'local $/; open(my $f, "<:raw", $ARGV[0]) or die; print sha384_base64(<$f>)' "$staging/$f")"
  perl -pi -e "s{(href=\"[^\"]*\Q$f\E\"[^>]*?integrity=\")[^\"]*\"}{\${1}$sri\"}g" "$staging/index.html"
  grep -q "$sri" "$staging/index.html" || { echo "split: no integrity for $f in index.html" >&2; exit 1; }
done
echo "split: $(ls "$work"/split/*.wasm | wc -l) modules (main + chunks), loader $split_js"

#!/usr/bin/env bash
# Trunk post-build hook for release builds: makes the first download small (README,
# "Release build").
#  1. Cuts the wasm into the part every page needs and chunks fetched on first use
#     (src/split.rs), then optimises each with wasm-opt. Trunk's own pipeline cannot: the
#     cut must come before wasm-bindgen, which drops the relocations it needs. So this
#     takes the module cargo built (linked with --emit-relocs, .cargo/config.toml), cuts
#     it with wasm-split-cli (wasm_split_cli_support), runs wasm-bindgen on the main part
#     under Trunk's file names and replaces Trunk's output in the staging folder.
#  2. Minifies the JavaScript with terser (scripts/minify, an npm package).
#  3. Joins the stylesheets into one file (one request, one gzip dictionary).
# New files get content-hashed names (cached for a year like Trunk's own); index.html's
# integrity hashes are recomputed. Debug builds (trunk serve) are left as Trunk made
# them: src/split.rs calls the functions directly there.
set -euo pipefail

[ "${TRUNK_PROFILE:-}" = release ] || exit 0
staging=${TRUNK_STAGING_DIR:?run by trunk}
here=$(cd "$(dirname "$0")" && pwd)
target=${CARGO_TARGET_DIR:-${TRUNK_SOURCE_DIR:-$here/..}/target}
raw="$target/wasm32-unknown-unknown/release/hookscope.wasm"
terser="$here/minify/node_modules/.bin/terser"
fail() { echo "release: $*" >&2; exit 1; }
[ -f "$raw" ] || fail "no $raw (cargo's build output)"
[ -x "$terser" ] || fail "terser is missing: run scripts/install-tools.sh"

js=$(cd "$staging" && ls hookscope-*.js | head -n1)
stem=${js%.js}
[ -f "$staging/${stem}_bg.wasm" ] || fail "no ${stem}_bg.wasm in $staging"

# The features rustc's wasm32 target emits; wasm-opt must keep to them.
opt=(-Oz --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-mutable-globals --enable-multivalue)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# sha-256 of a file, first 16 hex digits: a hashed name's suffix.
hash16() { sha256sum "$1" | cut -c1-16; }
# The value of an integrity attribute for a file.
sri() {
  echo "sha384-$(perl -MDigest::SHA=sha384_base64 -e 'local $/; open(my $f, "<:raw", $ARGV[0]) or die; print sha384_base64(<$f>)' "$1")"
}
minify() { "$terser" "$1" --module --compress --mangle -o "$2"; }

# 1. The wasm.
wasm-split-cli "$raw" "$work/split" --out-name "$stem" >/dev/null
ls "$work"/split/split_*.wasm >/dev/null 2>&1 || fail "no split points in the module (src/split.rs; index.html turns on the split feature)"
# --keep-lld-exports: chunks import the main part's function table and memory.
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$work/bg" \
  --out-name "$stem" "$work/split/$stem.wasm"
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
if grep -q '"\./\(split\|chunk\)_[a-z0-9_]*\.wasm"' "$loader"; then
  fail "a chunk's name was not replaced in the split loader"
fi
# Which split point needs which wasm file, for scripts/sizes.sh: the loader's comments
# name the split points sharing a chunk (`/* bulk, results */`) before its fetch.
perl -ne '
  if (m{^/\* (.*) \*/}) { $users = $1; $users =~ s/,//g }
  if (m{"\./(((?:split|chunk)_[a-z0-9_]+)-[0-9a-f]{16}\.wasm)"}) {
    my ($file, $base) = ($1, $2);
    my ($name) = $base =~ /^split_(.*)/;
    print "$file ", ($name // $users), "\n"; $users = "";
  }
' "$loader" > "$target/release-chunks.txt"
minify "$loader" "$work/loader.min.js"
split_js="split-$(hash16 "$work/loader.min.js").js"
mv "$work/loader.min.js" "$staging/$split_js"

# wasm-bindgen's JS imports the loader `from "./__wasm_split.js"` (that name also keys
# the wasm's imports, which stays).
grep -q 'from "\./__wasm_split\.js"' "$work/bg/$stem.js" ||
  fail "wasm-bindgen's JS does not import the split loader"
perl -pi -e "s{from \"\\./__wasm_split\\.js\"}{from \"./$split_js\"}g" "$work/bg/$stem.js"
minify "$work/bg/$stem.js" "$staging/$stem.js"
# wasm-bindgen's snippets (dependencies' inline JS), if any, where Trunk puts them.
if [ -d "$work/bg/snippets" ]; then cp -r "$work/bg/snippets" "$staging/"; fi

# index.html preloads both with subresource integrity: recompute it.
for f in "$stem.js" "${stem}_bg.wasm"; do
  s=$(sri "$staging/$f")
  perl -pi -e "s{(href=\"[^\"]*\Q$f\E\"[^>]*?integrity=\")[^\"]*\"}{\${1}$s\"}g" "$staging/index.html"
  grep -q "$s" "$staging/index.html" || fail "no integrity for $f in index.html"
done

# 3. The stylesheets, in the order index.html lists them.
mapfile -t sheets < <(grep -o '<link rel="stylesheet" href="[^"]*\.css"' "$staging/index.html" |
  sed 's/.*href="\([^"]*\)"/\1/')
[ "${#sheets[@]}" -gt 0 ] || fail "no stylesheets in index.html"
: > "$work/style.css"
for href in "${sheets[@]}"; do
  cat "$staging/$(basename "$href")" >> "$work/style.css"
  printf '\n' >> "$work/style.css"
done
style="style-$(hash16 "$work/style.css").css"
mv "$work/style.css" "$staging/$style"
prefix=${sheets[0]%/*}/
# The first stylesheet link becomes the joined file's; the others go.
perl -0pi -e '
  BEGIN { ($href, $sri) = splice(@ARGV, 0, 2); $first = 1 }
  s{\s*<link rel="stylesheet" href="[^"]*\.css"[^>]*>}{
    $first-- > 0 ? qq{\n    <link rel="stylesheet" href="$href" integrity="$sri">} : ""
  }ge;
' "$prefix$style" "$(sri "$staging/$style")" "$staging/index.html"
for href in "${sheets[@]}"; do rm -f "$staging/$(basename "$href")"; done
grep -c 'rel="stylesheet"' "$staging/index.html" | grep -qx 1 || fail "stylesheets not joined"

echo "release: $(ls "$work"/split/*.wasm | wc -l) wasm modules (main + chunks), $style, JS minified"

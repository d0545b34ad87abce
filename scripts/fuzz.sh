#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer through libfuzzer-sys) on the stable toolchain: the
# vendors' decoders (`decoders`) and what people paste or links carry (`inputs`: the
# call-ID parser, URLs, IDs, the explorer's URL state with its round trip, config.json,
# the payload viewer's JSON parser). A panic, an overflow or a failed assertion stops
# the run and leaves the input in fuzz/artifacts/.
#   scripts/fuzz.sh                 each target for 30 s (part of scripts/test.sh)
#   scripts/fuzz.sh --runs 5000000  each target for that many executions (the long run)
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export PATH="$HOME/.cargo/bin:$PATH"
limit="-max_total_time=30"
if [ "${1:-}" = "--runs" ]; then limit="-runs=${2:?how many runs}"; fi
# The starting corpora, from a plain (uninstrumented) build.
cargo run -q -p hookscope-core --example fuzz_seeds --manifest-path ../Cargo.toml -- corpus
# What cargo-fuzz passes (with no sanitizer, so a stable compiler builds it).
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
TARGET=x86_64-unknown-linux-gnu
# Its own target folder: the instrumented build must not share (and rebuild) the main one.
export CARGO_TARGET_DIR="$PWD/target"
cargo build -q --release --target "$TARGET" --bins
bin=target/$TARGET/release
rm -rf artifacts && mkdir -p artifacts
for t in decoders inputs; do
  printf '\n==> fuzz %s (%s)\n' "$t" "$limit"
  # -max_len 64 kB: large enough for a page of logs; the 5 MB and deep-nesting cases
  # are fixed inputs in the host tests (crates/core/tests/hostile_bodies.rs).
  "$bin/$t" "corpus/$t" "$limit" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="artifacts/$t-" -print_final_stats=1 2>&1 |
    grep -E 'stat::number_of_executed_units|stat::peak_rss|Done [0-9]+ runs|ERROR|panicked|SUMMARY|==[0-9]+==' || true
  # libFuzzer exits non-zero on a finding; the pipe above hides it, so look for one.
  if ls "artifacts/$t-"* >/dev/null 2>&1; then
    echo "fuzz: $t found a failing input: $(ls "artifacts/$t-"*)"; exit 1
  fi
done

#!/usr/bin/env bash
# Builds the npm package's two Wasm modules from the one crate, with one JS glue:
# - pkg/orgkit_wasm_bg.wasm, the default ("fast"): the `wasm-release` profile with the core and
#   the binding at opt-level 3, the dependencies (Cedar, serde, …) at opt-level "z". A decision
#   costs less than half of the small build's, for ~0.37 MB gzip more.
# - pkg/orgkit_wasm_small_bg.wasm ("small", `loadOrgkit({ build: "small" })`): every crate for
#   size, for pages where download size matters more than a few µs per call.
# Both: wasm-bindgen-cli at the crate's pinned version (web target: one build for Node, workerd
# and browsers), then wasm-opt -O1 from the binaryen npm package, then the size checks. The goal
# is 1.0 MB gzip; the engine with Cedar and the pure-Rust JWT crypto (RSA, P-256/384, Ed25519:
# +0.25 MB) inside is at ~1.71 MB (small) and ~2.09 MB (fast), so each build fails above its own
# limit (ORGKIT_WASM_MAX_GZIP, default 1.72 MB; ORGKIT_WASM_FAST_MAX_GZIP, default 2.1 MB) to
# stop growth while the goal is open. (The typed `load` decoder, which halves a load's time,
# added ~22 KB and ~33 KB; the small limit was 1.7 MB before it.)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
pinned=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' "$here/Cargo.toml")
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $pinned"; then
  echo "wasm-bindgen-cli $pinned is needed: cargo install wasm-bindgen-cli --version $pinned" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
goal=1000000

# build NAME OUTPUT LIMIT [cargo args…]: one module into pkg/OUTPUT, its glue into $work/NAME.
build() {
  local name=$1 output=$2 limit=$3
  shift 3
  # The two builds differ only in the opt-level of orgkit and orgkit-wasm: cargo keeps both
  # versions of those two crates side by side, and the dependencies are built once.
  cargo build "$@" -p orgkit-wasm --target wasm32-unknown-unknown --profile wasm-release
  wasm-bindgen --target web --out-dir "$work/$name" \
    "$target/wasm32-unknown-unknown/wasm-release/orgkit_wasm.wasm"
  # wasm-opt -O1: -Oz and -O2 shrink the raw module more (4.8 vs 5.2 MB) but make it compress
  # worse, 1.80-1.82 MB gzip against 1.67 MB, at the same speed; --converge repeats -O1 until
  # the module stops shrinking (about 4 KB gzip).
  "$here/node_modules/.bin/wasm-opt" -O1 --converge --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    -o "$here/pkg/$output" "$work/$name/orgkit_wasm_bg.wasm"
  local raw gz
  raw=$(stat -c %s "$here/pkg/$output")
  gz=$(gzip -9 -c "$here/pkg/$output" | wc -c)
  echo "$output ($name): $raw bytes, $gz bytes gzip (goal $goal, fails above $limit)"
  if [ "$gz" -gt "$goal" ]; then
    echo "note: over the 1.0 MB gzip goal by $((gz - goal)) bytes"
  fi
  if [ "$gz" -gt "$limit" ]; then
    echo "the $name Wasm build is over its size limit of $limit bytes gzip" >&2
    exit 1
  fi
}

rm -rf "$here/pkg"
mkdir -p "$here/pkg"
build small orgkit_wasm_small_bg.wasm "${ORGKIT_WASM_MAX_GZIP:-1720000}"
build fast orgkit_wasm_bg.wasm "${ORGKIT_WASM_FAST_MAX_GZIP:-2100000}" \
  --config 'profile.wasm-release.package.orgkit.opt-level=3' \
  --config 'profile.wasm-release.package.orgkit-wasm.opt-level=3'
# One glue serves both modules: they export the same functions, so wasm-bindgen must have
# written the same JS for each.
for file in orgkit_wasm.js orgkit_wasm.d.ts; do
  if ! cmp -s "$work/small/$file" "$work/fast/$file"; then
    echo "the two builds' $file differ: one glue cannot serve both" >&2
    exit 1
  fi
  cp "$work/fast/$file" "$here/pkg/$file"
done

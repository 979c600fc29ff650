#!/usr/bin/env bash
# Builds the npm package's Wasm: the crate for wasm32 (profile wasm-release: size over speed),
# the JS glue with wasm-bindgen-cli at the crate's pinned version (web target: one build for
# Node, workerd and browsers), wasm-opt -O1 from the binaryen npm package, then the size
# check. The goal is 1.0 MB gzip; the engine with Cedar and the pure-Rust JWT crypto (RSA,
# P-256/384, Ed25519: +0.25 MB) inside is at ~1.68 MB today, so the build fails above
# ORGKIT_WASM_MAX_GZIP (default 1.7 MB) to stop growth while the goal is open.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
pinned=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' "$here/Cargo.toml")
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $pinned"; then
  echo "wasm-bindgen-cli $pinned is needed: cargo install wasm-bindgen-cli --version $pinned" >&2
  exit 1
fi
cargo build -p orgkit-wasm --target wasm32-unknown-unknown --profile wasm-release
rm -rf "$here/pkg"
wasm-bindgen --target web --out-dir "$here/pkg" \
  "$target/wasm32-unknown-unknown/wasm-release/orgkit_wasm.wasm"
# wasm-opt -O1: -Oz and -O2 shrink the raw module more (4.8 vs 5.2 MB) but make it compress
# worse, 1.80-1.82 MB gzip against 1.67 MB, at the same speed; --converge repeats -O1 until
# the module stops shrinking (about 4 KB gzip).
"$here/node_modules/.bin/wasm-opt" -O1 --converge --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals \
  -o "$here/pkg/orgkit_wasm_bg.wasm" "$here/pkg/orgkit_wasm_bg.wasm"
raw=$(stat -c %s "$here/pkg/orgkit_wasm_bg.wasm")
gz=$(gzip -9 -c "$here/pkg/orgkit_wasm_bg.wasm" | wc -c)
goal=1000000
budget=${ORGKIT_WASM_MAX_GZIP:-1700000}
echo "orgkit_wasm_bg.wasm: $raw bytes, $gz bytes gzip (goal $goal, fails above $budget)"
if [ "$gz" -gt "$goal" ]; then
  echo "note: over the 1.0 MB gzip goal by $((gz - goal)) bytes"
fi
if [ "$gz" -gt "$budget" ]; then
  echo "the Wasm build is over its size limit of $budget bytes gzip" >&2
  exit 1
fi

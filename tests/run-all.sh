#!/usr/bin/env bash
# Every test of the project, in one command. Assumes the toolchain pieces `.ci/run` installs.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== vectors are generated from tests/vectors/generate.py"
python3 tests/vectors/generate.py --check

echo "== the core depends on no binding crate"
if cargo tree -p orgkit -e normal --prefix none | grep -Ei '^(wasm-bindgen|pyo3|uniffi|js-sys|tokio|axum)\b'; then
  echo "core/ must not depend on bindings or I/O crates" >&2
  exit 1
fi

echo "== formatting and lints (clippy denies unwrap/expect/panic/indexing in the core)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

echo "== the core builds for wasm32"
cargo build -p orgkit --lib --target wasm32-unknown-unknown

echo "== the fuzz target compiles"
cargo check --manifest-path core/fuzz/Cargo.toml

echo "== unit, property, CLI and conformance tests"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --workspace --lib --bins --tests 2>&1 | tee "$log"
# One closing line for the whole run: the sum of every test binary's result.
awk '/^test result:/ { p += $4; f += $6 } END { printf "tests: %d passed, %d failed\n", p, f }' "$log"

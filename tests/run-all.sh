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

echo "== unit, property, CLI and conformance tests (native)"
log=$(mktemp)
native_outputs=$(mktemp)
trap 'rm -f "$log" "$native_outputs"' EXIT
# The native runner also writes each vector's output, which every binding must equal exactly.
ORGKIT_NATIVE_OUTPUTS=$native_outputs cargo test --workspace --lib --bins --tests 2>&1 | tee "$log"

# A binding's test runner: run in DIR without stopping this script on failure, its output kept in
# $log for the closing count, its result lines shown, and on failure the lines matching FAILURES
# (with CONTEXT lines after each) and its name in $failed_runners.
failed_runners=""
run_runner() {
  local name=$1 dir=$2 results=$3 failures=$4 context=$5
  shift 5
  local out status=0
  out=$(mktemp)
  (cd "$dir" && "$@") >"$out" 2>&1 || status=$?
  cat "$out" >>"$log"
  grep -E "$results" "$out" || true
  if [ "$status" -ne 0 ]; then
    echo "the $name tests failed (exit $status):" >&2
    grep -E -A"$context" "$failures" "$out" | head -80 >&2 || tail -40 "$out" >&2
    failed_runners="$failed_runners $name"
  fi
  rm -f "$out"
}

echo "== the uniffi binding: Kotlin on the JVM (surface vectors byte for byte, typed API, errors)"
# The native tests built the cdylib and generated the Kotlin and Swift bindings from it into
# <target>/uniffi (bindings/uniffi/bindgen/tests/generate.rs), all in the one debug build.
target_dir=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)
run_runner Kotlin bindings/uniffi/kotlin 'Tests run:|FAIL' '^\[ERROR\]' 0 \
  env ORGKIT_NATIVE_OUTPUTS="$native_outputs" mvn -B -ntp -Dstyle.color=never test \
  -Dorgkit.bindings="$target_dir/uniffi/kotlin" -Dorgkit.libdir="$target_dir/debug/deps"

echo "== the Wasm package: build (size budget), types, every vector and the package tests in Node"
bash wasm/build.sh
(cd wasm && npx tsc --noEmit -p tsconfig.json)
node_tests=(wasm/test/*.test.mjs)
run_runner Node wasm '^# (tests|pass|fail)|^not ok' '^not ok' 12 \
  env ORGKIT_NATIVE_OUTPUTS="$native_outputs" node --test --test-reporter=tap "${node_tests[@]#wasm/}"

# One closing line for the whole run: the sum of every runner's result (cargo's `test result:`
# lines, node's `# pass`/`# fail`, and Surefire's closing `Tests run: N, Failures: F, Errors: E,
# Skipped: S`, not its per-class lines, which end in `Time elapsed`).
awk '/^test result:/ { p += $4; f += $6 } /^# pass / { p += $3 } /^# fail / { f += $3 }
     /^\[[A-Z]+\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$/ {
       p += $4 - $6 - $8 - $10; f += $6 + $8 }
     END { printf "tests: %d passed, %d failed\n", p, f; exit (f > 0) }' "$log"
if [ -n "$failed_runners" ]; then
  exit 1
fi

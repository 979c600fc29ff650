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

echo "== the core builds for wasm32, and the wasmtime host's guest module with it"
cargo build -p orgkit --lib --target wasm32-unknown-unknown
# The dev profile, on the core just built: only the guest's own crate and its link are added.
# The native tests below run every vector through it in wasmtime (hosts/wasmtime/tests).
cargo build -p orgkit-wasmtime-guest --target wasm32-unknown-unknown

echo "== the fuzz target compiles"
cargo check --manifest-path core/fuzz/Cargo.toml

echo "== unit, property, CLI and conformance tests (native; and the wasmtime host's, on the guest module)"
log=$(mktemp)
native_outputs=$(mktemp)
trap 'rm -f "$log" "$native_outputs"' EXIT
# The native runner also writes each vector's output, which every binding must equal exactly.
ORGKIT_NATIVE_OUTPUTS=$native_outputs cargo test --workspace --lib --bins --tests 2>&1 | tee "$log"

echo "== SCIM compliance: the independent scim2-tester against a running orgkit-server"
scim_status=0
if [ -n "${ORGKIT_SCIM_CHECKER_PYTHON:-}" ]; then
  scim_log=$(mktemp)
  bash hosts/server/scim-compliance/run.sh "$ORGKIT_SCIM_CHECKER_PYTHON" \
    "${CARGO_TARGET_DIR:-target}/debug/orgkit-server" >"$scim_log" 2>&1 || scim_status=$?
  cat "$scim_log" >>"$log"
  grep -E '^(not ok|# (pass|fail))' "$scim_log" || tail -20 "$scim_log"
  rm -f "$scim_log"
else
  echo "skipped: ORGKIT_SCIM_CHECKER_PYTHON is not set (.ci/run installs the checker in a venv)"
fi

# Runs a Node test command line (TAP output) in a folder, where its globs expand: its output
# joins $log for the closing sum, its summary, skips and failures are shown, and a failure's exit
# status is kept in $node_status (the first one) without stopping the run.
node_status=0
node_tap() {
  local name=$1 dir=$2 command=$3 out status=0
  out=$(mktemp)
  (cd "$dir" && eval "$command") >"$out" 2>&1 || status=$?
  cat "$out" >>"$log"
  grep -E '^# (tests|pass|fail)|^not ok|# SKIP' "$out" || true
  if [ "$status" -ne 0 ]; then
    echo "$name failed (exit $status):" >&2
    grep -A12 'not ok' "$out" | head -80 >&2 || tail -40 "$out" >&2
    if [ "$node_status" -eq 0 ]; then node_status=$status; fi
  fi
  rm -f "$out"
}

echo "== the Wasm package: build (size budget), types, every vector and the package tests in Node"
bash wasm/build.sh
(cd wasm && npm run --silent typecheck)   # the typings against every vector, and their use
node_tap "the Wasm package's Node tests" wasm \
  'ORGKIT_NATIVE_OUTPUTS="$native_outputs" node --test --test-reporter=tap test/*.test.mjs'

echo "== the Node host adapter (hosts/node): build (tsc, strict; the Workers-side code without Node's types), then its tests over HTTP on 127.0.0.1, on Node and in workerd"
(cd hosts/node && npm run --silent build)
node_tap "the Node host adapter's tests" hosts/node 'node --test --test-reporter=tap dist/test/*.test.js'

echo "== the Python package: wheel (maturin, abi3), stubs (stubtest), every vector and the package tests (pytest)"
# The venv .ci/run makes beside the build, with bindings/python/requirements-dev.txt.
venv=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/py-venv
if [ ! -x "$venv/bin/maturin" ]; then
  echo "no Python test venv at $venv: run .ci/run, or make it as bindings/python/README.md says" >&2
  exit 1
fi
rm -rf "$venv/wheels"
# The dev profile: the core and its crates are already built so by the native tests (the
# benchmark harness builds a release wheel of its own).
"$venv/bin/maturin" build --locked --quiet -m bindings/python/Cargo.toml \
  --interpreter "$venv/bin/python" --out "$venv/wheels"
"$venv/bin/pip" install --quiet --force-reinstall --no-deps "$venv"/wheels/orgkit-*.whl
(cd "$venv" && bin/python -m mypy.stubtest orgkit)   # in the venv: its .mypy_cache stays there
py_status=0
(cd bindings/python && ORGKIT_NATIVE_OUTPUTS=$native_outputs "$venv/bin/python" -m pytest tests) 2>&1 \
  | tee -a "$log" || py_status=$?

echo "== the Python host adapter (hosts/python): types (mypy --strict), tests over HTTP on 127.0.0.1 (pytest)"
# Its pinned requirements are in the same venv (.ci/run installs hosts/python/requirements.txt).
(cd hosts/python && "$venv/bin/python" -m mypy --cache-dir "$venv/.mypy_cache-host" orgkit_host tests)
host_status=0
(cd hosts/python && "$venv/bin/python" -m pytest tests) 2>&1 | tee -a "$log" || host_status=$?

echo "== the uniffi binding: Kotlin on the JVM (surface vectors byte for byte, typed API, errors)"
# The native tests built the cdylib and generated the Kotlin and Swift bindings from it into
# <target>/uniffi (bindings/uniffi/bindgen/tests/generate.rs), all in the one debug build.
target_dir=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)
kotlin_status=0
kotlin_log=$(mktemp)
(cd bindings/uniffi/kotlin && ORGKIT_NATIVE_OUTPUTS="$native_outputs" mvn -B -ntp -Dstyle.color=never test \
  -Dorgkit.bindings="$target_dir/uniffi/kotlin" -Dorgkit.libdir="$target_dir/debug/deps") \
  >"$kotlin_log" 2>&1 || kotlin_status=$?
cat "$kotlin_log" >>"$log"
grep -E 'Tests run:|FAIL' "$kotlin_log" || true
if [ "$kotlin_status" -ne 0 ]; then
  echo "the Kotlin tests failed (exit $kotlin_status):" >&2
  grep -E '^\[ERROR\]' "$kotlin_log" | head -80 >&2 || tail -40 "$kotlin_log" >&2
fi
rm -f "$kotlin_log"

# One closing line for the whole run: the sum of every runner's result (cargo test, Node's TAP
# counts, each pytest run's closing line such as `==== 2 failed, 1106 passed in 3.2s ====`, and
# Surefire's closing `Tests run: N, Failures: F, Errors: E, Skipped: S`, not its per-class lines,
# which end in `Time elapsed`).
awk '/^test result:/ { p += $4; f += $6 } /^# pass / { p += $3 } /^# fail / { f += $3 }
     /^=+ .* in [0-9.]+s/ { for (i = 2; i <= NF; i++) {
       if ($i ~ /^passed,?$/) p += $(i - 1); if ($i ~ /^(failed|errors?),?$/) f += $(i - 1) } }
     /^\[[A-Z]+\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$/ {
       p += $4 - $6 - $8 - $10; f += $6 + $8 }
     END { printf "tests: %d passed, %d failed\n", p, f; exit (f > 0) }' "$log"
if [ "$scim_status" -ne 0 ]; then
  echo "the SCIM checker failed (exit $scim_status)" >&2
  exit "$scim_status"
fi
if [ "$kotlin_status" -ne 0 ]; then
  exit "$kotlin_status"
fi
if [ "$py_status" -ne 0 ]; then
  echo "pytest failed (exit $py_status)" >&2
  exit "$py_status"
fi
if [ "$host_status" -ne 0 ]; then
  echo "the host adapter's pytest failed (exit $host_status)" >&2
  exit "$host_status"
fi
exit "$node_status"

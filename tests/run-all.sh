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

echo "== SCIM compliance: the independent scim2-tester against a running orgkit-server"
scim_status=0
if [ -n "${ORGKIT_SCIM_CHECKER_PYTHON:-}" ]; then
  scim_log=$(mktemp)
  bash hosts/server/scim-compliance/run.sh "$ORGKIT_SCIM_CHECKER_PYTHON" \
    "${CARGO_TARGET_DIR:-target}/debug/orgkit-server" >"$scim_log" 2>&1 || scim_status=$?
  cat "$scim_log" >>"$log"
  grep -E '^(not ok|# (pass|fail|todo))' "$scim_log" || tail -20 "$scim_log"
  rm -f "$scim_log"
else
  echo "skipped: ORGKIT_SCIM_CHECKER_PYTHON is not set (.ci/run installs the checker in a venv)"
fi

echo "== the Wasm package: build (size budget), types, every vector and the package tests in Node"
bash wasm/build.sh
(cd wasm && npx tsc --noEmit -p tsconfig.json)
node_log=$(mktemp)
node_status=0
(cd wasm && ORGKIT_NATIVE_OUTPUTS=$native_outputs node --test --test-reporter=tap test/*.test.mjs) >"$node_log" 2>&1 \
  || node_status=$?
cat "$node_log" >>"$log"
grep -E '^# (tests|pass|fail)|^not ok' "$node_log" || true
if [ "$node_status" -ne 0 ]; then
  echo "the Node tests failed (exit $node_status):" >&2
  grep -A12 '^not ok' "$node_log" | head -80 >&2 || tail -40 "$node_log" >&2
fi
rm -f "$node_log"

echo "== the Python package: wheel (maturin, abi3), stubs (stubtest), every vector and the package tests (pytest)"
# The venv .ci/run makes beside the build, with bindings/python/requirements-dev.txt.
venv=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/py-venv
if [ ! -x "$venv/bin/maturin" ]; then
  echo "no Python test venv at $venv: run .ci/run, or make it as bindings/python/README.md says" >&2
  exit 1
fi
rm -rf "$venv/wheels"
"$venv/bin/maturin" build --release --locked --quiet -m bindings/python/Cargo.toml \
  --interpreter "$venv/bin/python" --out "$venv/wheels"
"$venv/bin/pip" install --quiet --force-reinstall --no-deps "$venv"/wheels/orgkit-*.whl
(cd "$venv" && bin/python -m mypy.stubtest orgkit)   # in the venv: its .mypy_cache stays there
py_status=0
(cd bindings/python && ORGKIT_NATIVE_OUTPUTS=$native_outputs "$venv/bin/python" -m pytest tests) 2>&1 \
  | tee -a "$log" || py_status=$?

# One closing line for the whole run: the sum of every runner's result (cargo test, Node's TAP
# counts, pytest's closing line such as `==== 2 failed, 1106 passed in 3.2s ====`).
awk '/^test result:/ { p += $4; f += $6 } /^# pass / { p += $3 } /^# fail / { f += $3 }
     /^=+ .* in [0-9.]+s/ { for (i = 2; i <= NF; i++) {
       if ($i ~ /^passed,?$/) p += $(i - 1); if ($i ~ /^(failed|errors?),?$/) f += $(i - 1) } }
     END { printf "tests: %d passed, %d failed\n", p, f; exit (f > 0) }' "$log"
if [ "$scim_status" -ne 0 ]; then
  echo "the SCIM checker failed (exit $scim_status)" >&2
  exit "$scim_status"
fi
if [ "$py_status" -ne 0 ]; then
  echo "pytest failed (exit $py_status)" >&2
  exit "$py_status"
fi
exit "$node_status"

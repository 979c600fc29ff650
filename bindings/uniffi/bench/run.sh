#!/usr/bin/env bash
# The per-call cost of the uniffi boundary (issue #7): the same route, authorize and check calls
# natively (examples/boundary_bench.rs) and from Kotlin on the JVM through the generated bindings and JNA
# (kotlin/src/test/kotlin/dev/orgkit/bench/BoundaryBench.kt), one after the other, on the release
# cdylib. Prints two tables; BENCHMARKS.md keeps a run. Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/../../.."
cargo build --release -p orgkit-uniffi --lib --example boundary_bench
target_dir=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)
bindings="$target_dir/uniffi/bench/kotlin"
rm -rf "$bindings"
cargo run -q -p orgkit-uniffi-bindgen -- generate --no-format --language kotlin \
  --library "$target_dir/release/liborgkit_uniffi.so" --out-dir "$bindings"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
"$target_dir/release/examples/boundary_bench" "$PWD/tests/vectors"
echo
(cd bindings/uniffi/kotlin && mvn -B -q -ntp -Pbench test-compile exec:exec \
  -Dorgkit.bindings="$bindings" -Dorgkit.libdir="$target_dir/release")
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after the run"
